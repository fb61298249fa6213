/**
 * The labelled images of a folder as samples to learn from, by the import's rules (labels.csv, a folder named
 * 0-9, or the file name; docs/import-rules.md). Unlabelled images and images without a digit are left out
 * and counted; unreadable files are reported by the import as skipped, never fatal.
 */
import { importFolder, type ImportOptions } from '../import'
import type { SkippedFile } from '../../shared/schemas/import'

export interface LabelledForm {
  file: string
  label: number
  pixels: Float32Array
}

export interface LabelledForms {
  folder: string
  forms: LabelledForm[]
  unlabelled: number
  noDigit: number
  skipped: SkippedFile[]
}

const UNIFORM_CLASSIFIER = {
  id: 'none',
  predict: async (_pixels: Float32Array, count: number) => new Float32Array(count * 10).fill(0.1)
}

export async function labelledForms(
  folder: string,
  options: Pick<ImportOptions, 'signal' | 'onProgress'> = {}
): Promise<LabelledForms> {
  const pixelsByFile = new Map<string, Float32Array>()
  const result = await importFolder(folder, UNIFORM_CLASSIFIER, {
    ...options,
    onForm: (file, pixels) => pixelsByFile.set(file, pixels)
  })
  const forms: LabelledForm[] = []
  let unlabelled = 0
  let noDigit = 0
  for (const sample of result.samples) {
    const pixels = pixelsByFile.get(sample.file)
    if (!pixels) noDigit++
    else if (sample.label === null) unlabelled++
    else forms.push({ file: sample.file, label: sample.label, pixels })
  }
  return { folder: result.folder, forms, unlabelled, noDigit, skipped: result.skipped }
}
