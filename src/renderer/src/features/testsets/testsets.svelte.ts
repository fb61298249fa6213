/**
 * The Test sets view's state: the folder, the running import and the result on screen. The only module of the
 * view that calls the main process. A result always says which folder, model and time it belongs to; while a
 * new import runs, or after it failed or was cancelled, the old result is marked as the earlier one.
 */
import type { CallResponse, ExportFormat } from '../../../../shared/contract'
import type { ImportProgress, SampleResult } from '../../../../shared/schemas/import'
import type { ImportJobState } from '../../../../shared/schemas/jobs'
import { t } from '../../i18n/index.svelte'
import { api, invoke } from '../../lib/api'
import { downloadText, pickSaveFile } from '../../lib/dialogs'
import { describeCallError, describeError, isCancelled, type Problem } from '../../ui/errors'
import { app } from '../settings/settings.svelte'

export type ImportResponse = CallResponse<'testset.import'>
/** What the gallery shows: one confusion cell, every mistake, or the images without a label. */
export type GalleryChoice =
  { kind: 'cell'; label: number; predicted: number } | { kind: 'mistakes' } | { kind: 'unlabelled' }

export const testsets = $state<{
  folder: string
  importing: boolean
  progress: ImportProgress | null
  result: ImportResponse | null
  /** True while the result on screen is older than the latest import attempt. */
  stale: boolean
  problem: Problem | null
  notice: { tone: 'good' | 'warn'; text: string } | null
  gallery: GalleryChoice | null
  exporting: ExportFormat | null
}>({
  folder: '',
  importing: false,
  progress: null,
  result: null,
  stale: false,
  problem: null,
  notice: null,
  gallery: null,
  exporting: null
})

let started = false
/** True while this window's own testset.import call is out (its reply, not a snapshot, ends it). */
let ownImport = false

export function initTestsets(): void {
  if (started) return
  started = true
  // A running import restored from main (after a reload) keeps its own folder in the field.
  if (!testsets.importing) testsets.folder = app.settings.lastImportFolder ?? ''
  api.on('testset.progress', (progress) => {
    if (testsets.importing) testsets.progress = progress
  })
}

/** One import at a time: a second click (a double-click) while one starts or runs does nothing. */
export async function runImport(): Promise<void> {
  const folder = testsets.folder.trim()
  if (!folder || testsets.importing) return
  testsets.importing = true
  ownImport = true
  testsets.progress = null
  testsets.problem = null
  testsets.notice = null
  testsets.stale = testsets.result !== null
  try {
    testsets.result = await invoke('testset.import', { folder })
    testsets.stale = false
    testsets.gallery = null
  } catch (error) {
    if (isCancelled(error)) testsets.notice = { tone: 'warn', text: t('testsets.cancelled', { folder }) }
    else testsets.problem = describeError(error)
  } finally {
    testsets.importing = false
    ownImport = false
    testsets.progress = null
  }
}

/** How often a window that did not start the running import (it was reloaded) asks how it is going. */
const FOLLOW_MS = 400
let following: ReturnType<typeof setTimeout> | null = null

/**
 * Takes main's record of the running or last import (on load and reconnect): a running one is shown with its
 * progress and can be cancelled here; a finished one shows its result, a failed or cancelled one says so.
 */
export function applyImportJob(
  job: ImportJobState | null,
  follow: () => Promise<ImportJobState | null>
): void {
  if (!job) return
  if (job.state === 'running') {
    testsets.importing = true
    testsets.folder = job.folder
    testsets.progress = job.progress
    testsets.stale = testsets.result !== null
    if (following === null) {
      following = setTimeout(() => {
        following = null
        void follow()
          .then((next) => applyImportJob(next, follow))
          .catch(() => applyImportJob(job, follow))
      }, FOLLOW_MS)
    }
    return
  }
  // An import this window started reports its own end.
  if (ownImport) return
  testsets.importing = false
  testsets.progress = null
  if (job.result && job.result.importId !== testsets.result?.importId) {
    testsets.result = job.result
    testsets.gallery = null
  }
  testsets.stale = job.state !== 'done' && testsets.result !== null
  if (job.state === 'cancelled') {
    testsets.notice = { tone: 'warn', text: t('testsets.cancelled', { folder: job.folder }) }
  } else if (job.state === 'failed' && job.error) testsets.problem = describeCallError(job.error)
}

export async function cancelImport(): Promise<void> {
  try {
    await invoke('testset.cancel', {})
  } catch (error) {
    testsets.problem = describeError(error)
  }
}

export function showGallery(choice: GalleryChoice | null): void {
  testsets.gallery = choice
}

/** The samples of the gallery's choice. */
export function gallerySamples(result: ImportResponse, choice: GalleryChoice): SampleResult[] {
  if (choice.kind === 'unlabelled') return result.samples.filter((s) => s.label === null && !s.noDigit)
  if (choice.kind === 'mistakes')
    return result.samples.filter((s) => s.label !== null && s.predicted !== null && s.predicted !== s.label)
  return result.samples.filter((s) => s.label === choice.label && s.predicted === choice.predicted)
}

export async function sampleImage(importId: string, file: string): Promise<string> {
  return (await invoke('testset.sampleImage', { importId, file })).dataUrl
}

/** A sample's 28×28 view (base64 bytes in the import result) as pixel values. */
export function decodeView28(base64: string | null): number[] | null {
  if (!base64) return null
  return Array.from(atob(base64), (c) => c.charCodeAt(0))
}

const mimeTypes: Record<ExportFormat, string> = {
  'per-digit-csv': 'text/csv',
  'per-digit-md': 'text/markdown',
  'confusion-csv': 'text/csv',
  'samples-csv': 'text/csv',
  json: 'application/json'
}

/** Desktop: a native save dialog and the main process writes the file. Web: the browser downloads it. */
export async function exportAs(format: ExportFormat, defaultName: string): Promise<void> {
  const result = testsets.result
  if (!result) return
  testsets.exporting = format
  testsets.notice = null
  try {
    if (app.info?.nativeDialogs) {
      const path = await pickSaveFile(defaultName, t('testsets.export'))
      if (!path) return
      const saved = await invoke('testset.export', { importId: result.importId, format, file: path })
      testsets.notice = { tone: 'good', text: t('testsets.exported', { path: saved.savedTo ?? path }) }
    } else {
      const exported = await invoke('testset.export', { importId: result.importId, format })
      downloadText(exported.fileName, exported.content, mimeTypes[format])
      testsets.notice = { tone: 'good', text: t('testsets.exportedDownload', { file: exported.fileName }) }
    }
  } catch (error) {
    testsets.problem = describeError(error)
  } finally {
    testsets.exporting = null
  }
}
