/**
 * i18next with the two locales, wrapped so Svelte re-renders when the language changes: `t` reads the reactive
 * `locale.current`, so every template that calls it depends on the language.
 */
import i18next from 'i18next'
import { en, type Messages } from './en'
import { zhCN } from './zh-CN'

export type Locale = 'en' | 'zh-CN'
export type LocaleSetting = Locale | 'system'

/** Dotted paths to every string in the messages, e.g. 'draw.title'. */
type Paths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}`
}[keyof T & string]
export type MessageKey = Paths<Messages>

void i18next.init({
  initAsync: false,
  lng: 'en',
  fallbackLng: 'en',
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  interpolation: { escapeValue: false },
  returnNull: false
})

/** The locale the operating system (or browser) asks for. */
export function systemLocale(): Locale {
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language]
  return languages.some((language) => language.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en'
}

export const locale = $state<{ current: Locale }>({ current: systemLocale() })

export function applyLocale(setting: LocaleSetting): void {
  locale.current = setting === 'system' ? systemLocale() : setting
  document.documentElement.lang = locale.current
}

export function t(key: MessageKey, values?: Record<string, string | number>): string {
  return i18next.t(key, { lng: locale.current, ...values })
}

/** Locale-aware number formatting for percentages and counts. */
export function percent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—'
  return (fraction * 100).toLocaleString(locale.current, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits
  })
}

export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString(locale.current, { maximumFractionDigits: digits })
}

export function formatDate(iso: string, withTime = false): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return iso
  const style: Intl.DateTimeFormatOptions = withTime
    ? { dateStyle: 'medium', timeStyle: 'short' }
    : { dateStyle: 'medium' }
  return new Intl.DateTimeFormat(locale.current, style).format(time)
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(rest).padStart(2, '0')}`
    : `${m}:${String(rest).padStart(2, '0')}`
}
