import type { TrainingHost } from '../training/host'

/** Page images the Read view opens (what the decoder reads that scans and photos come as). */
export const PAGE_IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'webp'] as const

/** The native open dialog for page images: one or more files, images only. */
export function pageFilesDialog(title?: string): {
  title?: string
  properties: ('openFile' | 'multiSelections')[]
  filters: { name: string; extensions: string[] }[]
} {
  return {
    ...(title === undefined ? {} : { title }),
    properties: ['openFile', 'multiSelections'],
    filters: [{ name: 'Images', extensions: [...PAGE_IMAGE_EXTENSIONS] }]
  }
}

/** What differs between the desktop app and web mode. Everything else is the same services. */
export interface ShellHost {
  shell: 'electron' | 'web'
  /** Where settings, models, caches and imports live for this user. */
  dataDir: string
  /** The app's read-only resources (the shipped model). */
  resourcesDir: string
  nativeDialogs: boolean
  pickFolder(title?: string): Promise<string | null>
  /** Image files (one or more); null when cancelled or where there is no native dialog. */
  pickFiles(title?: string): Promise<string[] | null>
  saveFile(defaultName: string, title?: string): Promise<string | null>
  /** Training runs in a utilityProcess in the app, a child process in web mode. */
  createTrainingHost(): TrainingHost
}
