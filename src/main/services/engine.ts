import { selectBackend, type BackendChoice, type BackendPreference } from '../../core/backend'

/** The main process's tensor engine: which backend runs, chosen once and changed only on request. */
export class EngineService {
  private choice: Promise<BackendChoice> | null = null

  constructor(
    private preference: BackendPreference = 'auto',
    private readonly onSwitch: () => void = () => undefined
  ) {}

  /** The backend, selected on first use (so start-up does not wait for TensorFlow to load). */
  backend(): Promise<BackendChoice> {
    this.choice ??= selectBackend(this.preference)
    return this.choice
  }

  async setBackendPreference(preference: BackendPreference): Promise<void> {
    if (preference === this.preference && this.choice) return
    this.preference = preference
    this.onSwitch()
    this.choice = selectBackend(preference)
    await this.choice
  }
}
