export * from './host'
export * from './fork-host'
export type { HostMessage, WorkerMessage } from './protocol'
