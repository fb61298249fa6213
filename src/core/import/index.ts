/**
 * Folder import: every image under a folder is decoded, put into MNIST's form, classified in batches and, where
 * a label is known (rules in labels.ts and docs/import-rules.md), evaluated. A bad file never stops the import:
 * it is listed in `skipped` with the reason. Decoding runs on a bounded pool (sharp decodes on libuv's threads).
 */
import { availableParallelism } from 'node:os'
import { basename, join, resolve } from 'node:path'
import type { ImportProgress, ImportResult, SampleResult, SkippedFile } from '../../shared/schemas/import'
import { evaluatePredictions } from '../evaluation'
import { readRegularText } from '../fs/safe-read'
import { decodeImageFile, ImageDecodeError, toMnistForm, toView28 } from '../preprocess'
import type { Assessment, Assessor } from '../calibration'
import { classify, type Classifier } from './classifier'
import { ImportError } from './errors'
import { labelFromPath, LABELS_CSV, parseLabelsCsv, type Label } from './labels'
import { forEachConcurrently } from './pool'
import { errorText, scanFolder } from './scan'

export type { Classifier } from './classifier'
export { ImportError, type ImportErrorCode } from './errors'
export { labelFromPath, parseLabelsCsv, normaliseRelativePath } from './labels'
export { renderSampleImage } from './sample-image'

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void
  signal?: AbortSignal
  /** Files decoded at once; default 2 per core (decoding waits on disk as well as CPU). */
  concurrency?: number
  /** Pixel limit per image (decompression bombs); default DEFAULT_MAX_PIXELS. */
  maxPixels?: number
  /** The import refuses folders with more files than this (someone picked their home folder). */
  maxFiles?: number
  /** Images per classifier call. */
  batchSize?: number
  /** Flags each prediction ('not sure', 'not a digit'; src/core/calibration) from its probabilities and form. */
  assess?: Assessor
  /** Called with each image's 28×28 form as it is decoded (e.g. to keep labelled forms for teaching). */
  onForm?: (file: string, pixels: Float32Array) => void
}

export const DEFAULT_MAX_FILES = 100_000
/** labels.csv: one short line per file, for at most DEFAULT_MAX_FILES files. */
const MAX_LABELS_CSV_BYTES = 32 * 1024 * 1024
const DEFAULT_BATCH_SIZE = 256
const PROGRESS_INTERVAL_MS = 100
const UNIFORM = Array.from({ length: 10 }, () => 0.1)

interface Pending {
  index: number
  pixels: Float32Array
}

export async function importFolder(
  folder: string,
  classifier: Classifier,
  options: ImportOptions = {}
): Promise<ImportResult> {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const root = resolve(folder)
  const { signal, onProgress } = options
  const throwIfCancelled = () => {
    if (signal?.aborted) throw new ImportError('cancelled', root, `${root}: import cancelled`)
  }
  throwIfCancelled()

  const scanned = await scanFolder(root, options.maxFiles ?? DEFAULT_MAX_FILES, signal)
  throwIfCancelled()
  const skipped: SkippedFile[] = [...scanned.skipped]
  let csvLabels = new Map<string, number>()
  const files = scanned.files.filter((file) => file !== LABELS_CSV)
  if (files.length !== scanned.files.length) {
    try {
      const parsed = parseLabelsCsv(await readRegularText(join(root, LABELS_CSV), MAX_LABELS_CSV_BYTES))
      csvLabels = parsed.labels
      skipped.push(...parsed.problems)
      const present = new Set(files)
      for (const listed of csvLabels.keys()) {
        if (!present.has(listed))
          skipped.push({ file: LABELS_CSV, reason: `lists "${listed}", which is not in the folder` })
      }
    } catch (error) {
      skipped.push({
        file: LABELS_CSV,
        reason: `could not be read (${errorText(error)}); labels from it are not used`
      })
    }
  }
  const rootName = basename(root)
  const labelOf = (file: string): Label | null => {
    const listed = csvLabels.get(file)
    return listed !== undefined ? { label: listed, source: 'labels.csv' } : labelFromPath(file, rootName)
  }

  // Per file: whether it decoded (forms are not kept: they go to the classifier in batches and are dropped),
  // then its probabilities once classified.
  const decoded = new Uint8Array(files.length)
  // The 28×28 view of each digit (base64 of 784 bytes, ~1 KB), so a gallery needs no further round trip.
  const views: (string | null)[] = new Array(files.length).fill(null)
  const probabilities: (Float32Array | null)[] = new Array(files.length).fill(null)
  const assessments: (Assessment | null)[] = new Array(files.length).fill(null)
  const fileSkips: (SkippedFile | null)[] = new Array(files.length).fill(null)
  let done = 0
  let skippedCount = 0
  let lastProgress = -Infinity
  const report = (currentFile: string | null, force = false) => {
    const now = performance.now()
    if (!onProgress || (!force && now - lastProgress < PROGRESS_INTERVAL_MS)) return
    lastProgress = now
    onProgress({ done, total: files.length, skipped: skippedCount, currentFile })
  }
  report(null, true)

  // Batches go to the classifier one at a time, in the background while decoding continues.
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  let pending: Pending[] = []
  let predicting: Promise<void> = Promise.resolve()
  // Kept instead of left in the chain, so a failing model cannot become an unhandled rejection mid-import.
  let predictError: unknown = null
  const flush = () => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    predicting = predicting
      .then(async () => {
        const input = new Float32Array(batch.length * 784)
        batch.forEach((item, i) => input.set(item.pixels, i * 784))
        const output = await classify(classifier, input, batch.length, options.assess !== undefined)
        batch.forEach((item, i) => {
          const p = output.probabilities.slice(i * 10, i * 10 + 10)
          probabilities[item.index] = p
          const size = output.featureSize
          const features = output.features?.subarray(i * size, (i + 1) * size)
          if (options.assess) {
            assessments[item.index] = options.assess(p, item.pixels, features, output.scores?.[i])
          }
        })
      })
      .catch((error: unknown) => {
        predictError ??= error
      })
  }

  const concurrency = options.concurrency ?? Math.max(2, 2 * availableParallelism())
  await forEachConcurrently(
    files,
    concurrency,
    async (file, index) => {
      if (predictError !== null) return
      try {
        const image = await decodeImageFile(join(root, file), { maxPixels: options.maxPixels })
        const form = toMnistForm(image)
        decoded[index] = 1
        if (form.kind === 'digit') {
          options.onForm?.(file, form.pixels)
          views[index] = Buffer.from(toView28(form) as Uint8Array).toString('base64')
          pending.push({ index, pixels: form.pixels })
          if (pending.length >= batchSize) flush()
        }
      } catch (error) {
        skippedCount++
        fileSkips[index] = { file, reason: skipReason(error) }
      }
      done++
      report(file)
    },
    signal
  )
  throwIfCancelled()
  flush()
  await predicting
  if (predictError !== null) throw predictError
  throwIfCancelled()
  report(null, true)

  skipped.push(...(await filesAddedSince(root, scanned.files, options.maxFiles ?? DEFAULT_MAX_FILES)))
  throwIfCancelled()

  const samples: SampleResult[] = []
  files.forEach((file, index) => {
    if (decoded[index])
      samples.push(
        sampleResult(file, labelOf(file), probabilities[index], views[index], assessments[index] ?? null)
      )
  })
  for (const skip of fileSkips) if (skip) skipped.push(skip)

  const labelled = samples.filter((s) => s.label !== null)
  const evaluation =
    labelled.length === 0
      ? null
      : evaluatePredictions(
          labelled.map((s) => s.label ?? 0),
          Float32Array.from(labelled.flatMap((s) => s.probabilities)),
          { noDigit: labelled.map((s) => s.noDigit) }
        )
  const noDigitFiles = samples.filter((s) => s.noDigit).map((s) => s.file)
  return {
    folder: root,
    modelId: classifier.id,
    modelName: classifier.metadata?.name ?? classifier.id,
    startedAt,
    finishedAt: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
    outcome: labelled.length > 0 ? 'evaluated' : samples.length > 0 ? 'unlabelled' : 'no-images',
    counts: {
      images: samples.length,
      labelled: labelled.length,
      unlabelled: samples.length - labelled.length,
      noDigit: noDigitFiles.length,
      skipped: skipped.length
    },
    samples,
    noDigitFiles,
    skipped,
    evaluation
  }
}

function sampleResult(
  file: string,
  label: Label | null,
  probabilities: Float32Array | null,
  view28: string | null,
  assessment: Assessment | null
): SampleResult {
  const common = { file, label: label?.label ?? null, labelSource: label?.source ?? null, view28 }
  if (probabilities === null) {
    return {
      ...common,
      predicted: null,
      confidence: 0,
      top3: [],
      probabilities: UNIFORM,
      noDigit: true,
      flag: null,
      calibratedConfidence: null
    }
  }
  const ranked = Array.from(probabilities, (probability, digit) => ({ digit, probability })).sort(
    (a, b) => b.probability - a.probability || a.digit - b.digit
  )
  return {
    ...common,
    predicted: ranked[0].digit,
    confidence: ranked[0].probability,
    top3: ranked.slice(0, 3),
    probabilities: Array.from(probabilities),
    noDigit: false,
    flag: assessment?.flag ?? null,
    calibratedConfidence: assessment?.confidence ?? null
  }
}

/**
 * Files that appeared in the folder while it was imported: they were not imported, so they are reported rather
 * than silently left out. A second listing of the folder costs little next to decoding every file.
 */
async function filesAddedSince(root: string, listed: string[], maxFiles: number): Promise<SkippedFile[]> {
  const now = await scanFolder(root, maxFiles).catch(() => null)
  if (now === null) return []
  const known = new Set(listed)
  return now.files
    .filter((file) => !known.has(file))
    .map((file) => ({ file, reason: 'added during the import (not imported; import the folder again)' }))
}

function skipReason(error: unknown): string {
  if (error instanceof ImageDecodeError) return error.reason
  return errorText(error)
}
