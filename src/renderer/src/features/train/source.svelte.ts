/** The MNIST folder of the Train view: checking it, and downloading the four files into the cache. */
import type { MnistStatus } from '../../../../shared/contract'
import { api, invoke } from '../../lib/api'
import { describeError, type Problem } from '../../ui/errors'
import { app } from '../settings/settings.svelte'

export const source = $state<{
  folder: string
  status: MnistStatus | null
  checking: boolean
  downloading: { file: string; fraction: number | null } | null
  problem: Problem | null
}>({ folder: '', status: null, checking: false, downloading: null, problem: null })

let started = false

/** Starts from the saved folder (or the one main finds), and follows the download's progress. */
export function initSource(): void {
  if (started) return
  started = true
  source.folder = app.settings.mnistFolder ?? app.info?.mnistDefault.folder ?? ''
  void checkFolder()
  api.on('mnist.progress', (progress) => {
    source.downloading = {
      file: progress.file,
      fraction: progress.totalBytes ? progress.receivedBytes / progress.totalBytes : null
    }
  })
}

/** Asks main about the folder; main remembers a complete folder in the settings itself. */
export async function checkFolder(): Promise<void> {
  source.checking = true
  try {
    const path = source.folder.trim()
    source.status = await invoke('mnist.status', path ? { folder: path } : {})
    if (!path && source.status.folder) source.folder = source.status.folder
    source.problem = null
  } catch (error) {
    source.problem = describeError(error)
  } finally {
    source.checking = false
  }
}

export async function downloadMnist(): Promise<void> {
  source.downloading = { file: '', fraction: null }
  try {
    source.status = await invoke('mnist.download', {})
    if (source.status.folder) source.folder = source.status.folder
    source.problem = null
  } catch (error) {
    source.problem = describeError(error)
  } finally {
    source.downloading = null
  }
}
