/**
 * State shared by every view: app info, settings, the model list and the theme. Views read it; only the functions
 * here change it, so the status bar and the views always agree.
 */
import { SettingsSchema, type AppInfo, type CallRequest, type Settings } from '../../../shared/contract'
import type { ModelSummary } from '../../../shared/schemas/models'
import { applyLocale } from '../i18n/index.svelte'
import { invoke } from './api'

export const app = $state<{
  info: AppInfo | null
  settings: Settings
  models: ModelSummary[]
  dark: boolean
}>({
  info: null,
  settings: SettingsSchema.parse({}),
  models: [],
  dark: false
})

export function activeModel(): ModelSummary | null {
  return app.models.find((model) => model.active) ?? null
}

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)')

function applyTheme(): void {
  const setting = app.settings.theme
  app.dark = setting === 'dark' || (setting === 'system' && darkQuery.matches)
  document.documentElement.dataset.theme = app.dark ? 'dark' : 'light'
}
darkQuery.addEventListener('change', applyTheme)

function applySettings(settings: Settings): void {
  app.settings = settings
  applyLocale(settings.locale)
  applyTheme()
}

/** Loads what the shell needs; throws (as ApiError) when the main process is unreachable. */
export async function loadApp(): Promise<void> {
  const [info, settings] = await Promise.all([invoke('app.info', {}), invoke('settings.get', {})])
  app.info = info
  applySettings(settings)
  // A missing model list is not fatal: the Models view shows the problem and can retry.
  app.models = await invoke('models.list', {}).catch(() => [])
}

let pendingSettings: Promise<unknown> = Promise.resolve()
let settingsRevision = 0

/**
 * Applies a change at once, then remembers it; the main process answers with the settings it stored.
 * Changes go one at a time, so two quick changes (language, then theme) cannot overwrite each other, and
 * only the reply to the newest change is applied, so an older reply never undoes a newer click.
 */
export function updateSettings(change: CallRequest<'settings.set'>): Promise<void> {
  applySettings({ ...app.settings, ...change })
  const revision = ++settingsRevision
  const saved = pendingSettings
    .catch(() => undefined)
    .then(() => invoke('settings.set', change))
    .then((stored) => {
      if (revision === settingsRevision) applySettings(stored)
    })
  pendingSettings = saved
  return saved
}

export async function refreshModels(): Promise<void> {
  app.models = await invoke('models.list', {})
}

export function setModels(models: ModelSummary[]): void {
  app.models = models
}

// Before settings arrive: follow the OS.
applyTheme()
applyLocale('system')
