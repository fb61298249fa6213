import type { TrainingHost } from '../training/host'

/** What differs between the desktop app and web mode. Everything else is the same services. */
export interface ShellHost {
  shell: 'electron' | 'web'
  /** Where settings, models, caches and imports live for this user. */
  dataDir: string
  /** The app's read-only resources (the shipped model). */
  resourcesDir: string
  nativeDialogs: boolean
  pickFolder(title?: string): Promise<string | null>
  saveFile(defaultName: string, title?: string): Promise<string | null>
  /** Training runs in a utilityProcess in the app, a child process in web mode. */
  createTrainingHost(): TrainingHost
}
