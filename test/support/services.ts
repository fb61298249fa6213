/** The real main-process services and router over a temporary data folder, as the app and web mode build them. */
import type { ShellHost } from '../../src/main/app/shell'
import { EventHub } from '../../src/main/ipc/events'
import { createRouter, type Router } from '../../src/main/ipc/router'
import { createServices, type Services } from '../../src/main/services'
import { createForkTrainingHost } from '../../src/main/training/fork-host'
import type { CallName, CallResponse, CallResult } from '../../src/shared/contract'
import { RESOURCES_DIR } from './paths'

export interface RunningServices {
  services: Services
  router: Router
  /** Every event the services publish (progress, training events), as a transport would forward them. */
  events: EventHub
  /**
   * Dispatches like a transport would: the request's JSON size goes with it. The request is not typed (tests send
   * hostile ones too); the answer is typed by the call (the router checked the request).
   */
  call<N extends CallName>(name: N, request: unknown): Promise<CallResult<CallResponse<N>>>
}

export async function startServices(dataDir: string): Promise<RunningServices> {
  const host: ShellHost = {
    shell: 'web',
    dataDir,
    resourcesDir: RESOURCES_DIR,
    nativeDialogs: false,
    pickFolder: async () => null,
    pickFiles: async () => null,
    saveFile: async () => null,
    createTrainingHost: () => createForkTrainingHost()
  }
  const events = new EventHub()
  const services = await createServices({ host, emit: events.emit, version: 'hardening' })
  const router = createRouter(services.handlers)
  return {
    services,
    router,
    events,
    call: <N extends CallName>(name: N, request: unknown) =>
      router.dispatch(name, request, JSON.stringify(request).length) as Promise<CallResult<CallResponse<N>>>
  }
}
