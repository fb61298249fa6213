import type { EventName, EventPayload } from '../../shared/contract'

/** Where services publish events; each transport forwards them to its renderers. */
export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export class EventHub {
  private readonly sinks = new Set<(event: EventName, payload: unknown) => void>()

  readonly emit: EmitEvent = (event, payload) => {
    for (const sink of this.sinks) sink(event, payload)
  }

  subscribe(sink: (event: EventName, payload: unknown) => void): () => void {
    this.sinks.add(sink)
    return () => this.sinks.delete(sink)
  }
}
