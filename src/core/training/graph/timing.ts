/**
 * Where an epoch's training time goes, for the benchmark: JavaScript batch preparation (bytes to floats,
 * augmentation, labels, dropout masks, the upload) and the step itself (backend calls); the rest of the
 * epoch is loop overhead (reports, yields). Timing costs two performance.now() calls per span.
 */
export interface EpochTimes {
  dataSeconds: number
  stepSeconds: number
}

export class StepTimes {
  private data = 0
  private step = 0
  private mark = 0
  private stepMark = 0

  /** Starts a span of batch preparation. */
  startData(): void {
    this.mark = performance.now()
  }

  endData(): void {
    this.data += performance.now() - this.mark
  }

  /** Starts one whole step call (its batch preparation included). */
  startStep(): void {
    this.stepMark = performance.now()
  }

  endStep(): void {
    this.step += performance.now() - this.stepMark
  }

  /** The epoch's totals (step time without its batch preparation); starts the next epoch at zero. */
  take(): EpochTimes {
    const times = { dataSeconds: this.data / 1000, stepSeconds: (this.step - this.data) / 1000 }
    this.data = 0
    this.step = 0
    return times
  }
}
