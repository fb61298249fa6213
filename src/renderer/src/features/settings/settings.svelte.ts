/**
 * App info, the settings and the theme, shared by every view. Main owns the settings: this store applies what
 * main stored (on load, on every reply and on `settings.changed`), and only the functions here change it.
 */
import { SettingsSchema, type AppInfo, type CallRequest, type Settings } from '../../../../shared/contract'
import { applyLocale } from '../../i18n/index.svelte'
import { api, invoke } from '../../lib/api'

export const app = $state<{
  info: AppInfo | null
  settings: Settings
  dark: boolean
}>({
  info: null,
  settings: SettingsSchema.parse({}),
  dark: false
})

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)')

function applyTheme(): void {
  const setting = app.settings.theme
  app.dark = setting === 'dark' || (setting === 'system' && darkQuery.matches)
  document.documentElement.dataset.theme = app.dark ? 'dark' : 'light'
}
darkQuery.addEventListener('change', applyTheme)

export function applySettings(settings: Settings): void {
  app.settings = settings
  applyLocale(settings.locale)
  applyTheme()
}

/** Loads what the shell needs; throws (as ApiError) when the main process is unreachable. */
export async function loadSettings(): Promise<void> {
  const [info, settings] = await Promise.all([invoke('app.info', {}), invoke('settings.get', {})])
  app.info = info
  applySettings(settings)
}

export async function refreshInfo(): Promise<void> {
  app.info = await invoke('app.info', {})
}

let pendingSettings: Promise<unknown> = Promise.resolve()
let settingsRevision = 0
/** Changes sent and not yet answered: their replies apply the stored settings, so events wait for them. */
let unanswered = 0
let subscribed = false

/** Main says so whenever it stored new settings (from this window, another one, or its own services). */
export function subscribeSettings(): void {
  if (subscribed) return
  subscribed = true
  api.on('settings.changed', (settings) => {
    if (unanswered === 0) applySettings(settings)
  })
}

/**
 * Applies a change at once, then remembers it; the main process answers with the settings it stored.
 * Changes go one at a time, so two quick changes (language, then theme) cannot overwrite each other, and
 * only the reply to the newest change is applied, so an older reply never undoes a newer click.
 */
export function updateSettings(change: CallRequest<'settings.set'>): Promise<void> {
  applySettings({ ...app.settings, ...change })
  const revision = ++settingsRevision
  unanswered++
  const saved = pendingSettings
    .catch(() => undefined)
    .then(() => invoke('settings.set', change))
    .then((stored) => {
      if (revision === settingsRevision) applySettings(stored)
    })
    .finally(() => unanswered--)
  pendingSettings = saved
  return saved
}

// Before settings arrive: follow the OS.
applyTheme()
applyLocale('system')
