/** What the window does once at start (and again on every reconnect): settings, models, the running jobs. */
import { refreshModels } from '../features/models/models.svelte'
import { loadSettings } from '../features/settings/settings.svelte'
import { subscribeTraining } from '../features/train/training.svelte'

/** Throws (as ApiError) when the main process is unreachable. */
export async function startApp(): Promise<void> {
  await loadSettings()
  // A missing model list is not fatal: the Models view shows the problem and can retry.
  await refreshModels().catch(() => undefined)
  subscribeTraining()
}
