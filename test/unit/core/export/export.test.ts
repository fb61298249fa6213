import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { evaluatePredictions } from '../../../../src/core/evaluation'
import { exportResult, ExportError, importJsonDocument, percent } from '../../../../src/core/export'
import {
  ImportResultSchema,
  SampleResultSchema,
  type ImportResult,
  type SampleResult
} from '../../../../src/shared/schemas/import'

const FIXTURES = new URL('../../../fixtures/pipeline/', import.meta.url)
/** Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended format change (then review the diff). */
const update = process.env.UPDATE_GOLDEN === '1'

function sample(file: string, label: number | null, scores: Record<number, number> | null): SampleResult {
  if (scores === null) {
    return {
      file,
      label,
      labelSource: label === null ? null : 'folder',
      predicted: null,
      confidence: 0,
      top3: [],
      probabilities: Array(10).fill(0.1),
      noDigit: true,
      view28: null
    }
  }
  const rest = (1 - Object.values(scores).reduce((a, b) => a + b, 0)) / (10 - Object.keys(scores).length)
  const probabilities = Array.from({ length: 10 }, (_, d) => scores[d] ?? rest)
  const top3 = probabilities
    .map((probability, digit) => ({ digit, probability }))
    .sort((a, b) => b.probability - a.probability || a.digit - b.digit)
    .slice(0, 3)
  return {
    file,
    label,
    labelSource: label === null ? null : 'folder',
    predicted: top3[0].digit,
    confidence: top3[0].probability,
    top3,
    view28: null,
    probabilities,
    noDigit: false
  }
}

/** A small import: three 7s (one read as 1), two 1s, one 0, a blank labelled 3, an unlabelled file with a comma. */
function knownResult(): ImportResult {
  const samples = [
    sample('0/a.png', 0, { 0: 0.9 }),
    sample('1/a.png', 1, { 1: 0.8, 7: 0.15 }),
    sample('1/b.png', 1, { 1: 0.6, 7: 0.3 }),
    sample('3/blank.png', 3, null),
    sample('7/a.png', 7, { 7: 0.95 }),
    sample('7/b.png', 7, { 1: 0.55, 7: 0.4 }),
    sample('7/c.png', 7, { 7: 0.7, 2: 0.2 }),
    sample('unlabelled, "odd" name.png', null, { 4: 0.5, 9: 0.45 })
  ]
  const labelled = samples.filter((s) => s.label !== null)
  const evaluation = evaluatePredictions(
    labelled.map((s) => s.label ?? 0),
    labelled.flatMap((s) => s.probabilities),
    { noDigit: labelled.map((s) => s.noDigit) }
  )
  return {
    folder: '/home/user/My Scans',
    modelId: 'default',
    modelName: 'MLP 784-100-100-10 (shipped)',
    startedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:04:05.250Z',
    seconds: 0.25,
    outcome: 'evaluated',
    counts: {
      images: samples.length,
      labelled: labelled.length,
      unlabelled: samples.length - labelled.length,
      noDigit: samples.filter((s) => s.noDigit).length,
      skipped: 1
    },
    samples,
    noDigitFiles: samples.filter((s) => s.noDigit).map((s) => s.file),
    skipped: [{ file: 'notes.txt', reason: 'not a supported image' }],
    evaluation
  }
}

function expectGolden(name: string, content: string) {
  const url = new URL(name, FIXTURES)
  if (update) writeFileSync(url, content, 'utf8')
  expect(Buffer.from(content, 'utf8').equals(readFileSync(url))).toBe(true)
}

describe('exportResult', () => {
  const result = ImportResultSchema.parse(knownResult())

  it('writes the per-digit CSV byte for byte as the golden file (BOM, header, CRLF, two-decimal percents)', () => {
    const { fileName, content } = exportResult(result, 'per-digit-csv')
    expect(fileName).toBe('My-Scans-per-digit.csv')
    expect(content.startsWith('\uFEFFdigit,samples,correct,accuracy_percent')).toBe(true)
    expect(content).toContain('\r\n7,3,2,66.67,1,1\r\n')
    expectGolden('per-digit.csv', content)
  })

  it('writes the confusion matrix and per-sample CSVs as their golden files', () => {
    expectGolden('confusion.csv', exportResult(result, 'confusion-csv').content)
    const samples = exportResult(result, 'samples-csv').content
    expect(samples).toContain('"unlabelled, ""odd"" name.png"')
    expectGolden('samples.csv', samples)
  })

  it('writes the per-digit Markdown table', () => {
    const { fileName, content } = exportResult(result, 'per-digit-md')
    expect(fileName).toBe('My-Scans-per-digit.md')
    expect(content).toContain('| 7 | 3 | 2 | 66.67% | 1 (1×) |')
    expect(content).toContain('| 5 | 0 | 0 | – | – |')
    expectGolden('per-digit.md', content)
  })

  it('writes the whole result as the JSON document of `import --json` (top-level accuracy, every sample)', () => {
    const { fileName, content } = exportResult(result, 'json', { model: '/models/x', backend: 'cpu' })
    expect(fileName).toBe('My-Scans-result.json')
    const doc = JSON.parse(content)
    expect(doc).toEqual(
      JSON.parse(JSON.stringify(importJsonDocument(result, { model: '/models/x', backend: 'cpu' })))
    )
    expect(doc.accuracy).toBe(result.evaluation?.accuracy)
    expect(doc.modelName).toBe(result.modelName)
    expect(doc.perSample).toHaveLength(result.samples.length)
    for (const sample of doc.perSample) SampleResultSchema.omit({ view28: true }).strict().parse(sample)
    expect(ImportResultSchema.shape.counts.parse(doc.counts)).toEqual(result.counts)
  })

  it('refuses tables when nothing is labelled, but still exports samples', () => {
    const unlabelled = { ...result, evaluation: null }
    expect(() => exportResult(unlabelled, 'per-digit-csv')).toThrow(ExportError)
    expect(() => exportResult(unlabelled, 'confusion-csv')).toThrow(/no image has a label/)
    expect(exportResult(unlabelled, 'samples-csv').content).toContain('7/b.png')
  })

  it('formats percentages with two decimals and leaves unknown ones empty', () => {
    expect(percent(59 / 60)).toBe('98.33')
    expect(percent(1)).toBe('100.00')
    expect(percent(null)).toBe('')
  })
})
