/** Native dialogs (desktop only) and browser downloads (web mode): the one place the UI asks for a path. */
import { invoke } from './api'

export async function pickFolder(title: string): Promise<string | null> {
  return (await invoke('dialog.pickFolder', { title })).path
}

/** Image files chosen in a native dialog (desktop only); null when cancelled. */
export async function pickFiles(title: string): Promise<string[] | null> {
  return (await invoke('dialog.pickFiles', { title })).paths
}

export async function pickSaveFile(defaultName: string, title: string): Promise<string | null> {
  return (await invoke('dialog.saveFile', { defaultName, title })).path
}

/** Hands a text file to the browser as a download. */
export function downloadText(fileName: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${type};charset=utf-8` }))
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName })
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
