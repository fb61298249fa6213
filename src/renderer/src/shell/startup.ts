/** What the window does once at start (and again on every reconnect): settings, models, the running jobs. */
import { invoke, onReconnect } from '../lib/api'
import { refreshModels } from '../features/models/models.svelte'
import { loadSettings, subscribeSettings } from '../features/settings/settings.svelte'
import { applyImportJob } from '../features/testsets/testsets.svelte'
import { applyTrainingSnapshot, beginSnapshot, subscribeTraining } from '../features/train/training.svelte'

/** Main's record of the running or last training run and import: the window shows the same as before a reload. */
async function syncJobs(): Promise<void> {
  beginSnapshot()
  const jobs = await invoke('jobs.state', {})
  applyTrainingSnapshot(jobs.training)
  applyImportJob(jobs.import, async () => (await invoke('jobs.state', {})).import)
}

let reconnectHooked = false

/** Throws (as ApiError) when the main process is unreachable. */
export async function startApp(): Promise<void> {
  subscribeSettings()
  subscribeTraining()
  await loadSettings()
  // A missing model list or job record is not fatal: the views show what they have and can retry.
  await Promise.all([refreshModels().catch(() => undefined), syncJobs().catch(() => undefined)])
  if (!reconnectHooked) {
    reconnectHooked = true
    onReconnect(() => {
      void loadSettings().catch(() => undefined)
      void refreshModels().catch(() => undefined)
      void syncJobs().catch(() => undefined)
    })
  }
}
