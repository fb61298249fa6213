import { selectBackend, type BackendChoice, type BackendPreference } from '../../core/backend'

/** The main process's tensor engine: which backend runs, chosen once and changed only on request. */
export class EngineService {
  private choice: Promise<BackendChoice> | null = null

  constructor(private preference: BackendPreference = 'auto') {}

  backend(): Promise<BackendChoice> {
    this.choice ??= selectBackend(this.preference)
    return this.choice
  }

  async setBackendPreference(preference: BackendPreference): Promise<void> {
    this.preference = preference
    this.choice = selectBackend(preference)
    await this.choice
  }
}
