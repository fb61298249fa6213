/**
 * Reading numbers and pages (issue 12): the drawing pad's number, page images, their exports, and test sets
 * made from pages. Pure work is in src/core/segmentation and src/core/page; this adds the active model, paths
 * checked as the user's, and the import the cut folder goes through (so the Test sets views can show it).
 */
import { mkdir, readdir } from 'node:fs/promises'
import { assessorFor } from '../../core/calibration'
import { checkUserPath } from '../../core/paths'
import {
  assignLabels,
  LabelRuleError,
  parseRule,
  readingCsv,
  readingJson,
  readPageCrops,
  writeLabelledFolder,
  type CutPage
} from '../../core/page'
import { decodeImageFile, ImageDecodeError, loadSharp } from '../../core/preprocess'
import type { GrayImage } from '../../core/preprocess/types'
import { padWindow, readPad } from '../../core/segmentation'
import type { ImportResultWithId } from '../../shared/schemas/jobs'
import { ServiceError, type Handlers } from '../ipc/router'
import { writeFileAtomically } from './files'
import type { ModelService } from './models'
import { predictGray } from './predict'

type ReadingCalls = Pick<Handlers, 'read.pad' | 'read.page' | 'read.export' | 'read.cut'>

/** Longest side of the page preview sent for display. */
const PREVIEW_SIDE = 1600

export function readingHandlers(
  models: ModelService,
  importFolder: (folder: string) => Promise<ImportResultWithId>,
  /** The "not sure" threshold from the settings (the pad's and the pages' digits are flagged with it). */
  threshold: () => Promise<number>
): ReadingCalls {
  return {
    'read.pad': async ({ width, height, pixels, strokes }) => {
      const started = performance.now()
      const data = new Uint8Array(Buffer.from(pixels, 'base64'))
      if (data.length !== width * height) {
        throw new ServiceError('bad-request', `Expected ${width * height} pixels, got ${data.length}.`)
      }
      const ink: GrayImage = { width, height, data }
      const model = await models.active()
      const unsure = await threshold()
      const lines = await readPad({ strokes, ink }, model, assessorFor(model, unsure))
      const count = lines.reduce((n, line) => n + line.digits.length, 0)
      // One digit (or none): the pad's single-digit prediction, exactly as predict.image gives it.
      const box = lines[0]?.digits[0]?.box
      const single =
        count <= 1
          ? await predictGray(models, box ? padWindow(ink, box) : ink, performance.now(), unsure)
          : null
      return { lines, single, milliseconds: performance.now() - started }
    },
    'read.page': async ({ file }) => {
      const started = performance.now()
      const path = checkUserPath(file)
      const image = await decodeOrExplain(path)
      const model = await models.active()
      const { reading } = await readPageCrops(image, model, assessorFor(model, await threshold()))
      return {
        file: path,
        width: reading.width,
        height: reading.height,
        skewDegrees: reading.skewDegrees,
        printedBoxes: reading.printedBoxes,
        lines: reading.lines,
        preview: await preview(image),
        milliseconds: performance.now() - started
      }
    },
    'read.export': async ({ pages, format, file }) => {
      const content =
        format === 'csv' ? readingCsv(pages) : `${JSON.stringify(readingJson(pages), null, 2)}\n`
      const fileName = `reading.${format}`
      if (file) await writeFileAtomically(checkUserPath(file), content)
      return { fileName, content, savedTo: file ? checkUserPath(file) : null }
    },
    'read.cut': async ({ files, out, rule }) => {
      const folder = checkUserPath(out)
      let parsed
      try {
        parsed = parseRule(rule.kind, rule.kind === 'rows' ? rule.digits : rule.text)
      } catch (error) {
        if (error instanceof LabelRuleError) throw new ServiceError('bad-input', error.message)
        throw error
      }
      const existing = await readdir(folder).catch(() => [])
      if (existing.length > 0)
        throw new ServiceError(
          'bad-input',
          `${folder}: the folder is not empty (choose a new or empty folder).`
        )
      const model = await models.active()
      const pages: CutPage[] = []
      const errors: { file: string; reason: string }[] = []
      for (const file of files) {
        const path = checkUserPath(file)
        try {
          const { crops } = await readPageCrops(await decodeImageFile(path), model)
          pages.push({ file: path, lines: crops })
        } catch (error) {
          if (!(error instanceof ImageDecodeError)) throw error
          errors.push({ file: path, reason: error.reason })
        }
      }
      const { assigned, unassigned } = assignLabels(pages, parsed)
      await mkdir(folder, { recursive: true })
      const written = await writeLabelledFolder(folder, assigned)
      const result = written.length > 0 ? await importFolder(folder) : null
      return { written: written.length, unassigned, errors, result }
    }
  }
}

async function decodeOrExplain(path: string): Promise<GrayImage> {
  try {
    return await decodeImageFile(path)
  } catch (error) {
    if (error instanceof ImageDecodeError) throw new ServiceError('bad-input', error.message)
    throw error
  }
}

/** The page as a PNG data URL at most PREVIEW_SIDE a side. */
async function preview(image: GrayImage): Promise<{ dataUrl: string; scale: number }> {
  const sharp = await loadSharp()
  const scale = Math.min(1, PREVIEW_SIDE / Math.max(image.width, image.height))
  const png = await sharp(Buffer.from(image.data), {
    raw: { width: image.width, height: image.height, channels: 1 }
  })
    .resize(Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)))
    .png()
    .toBuffer()
  return { dataUrl: `data:image/png;base64,${png.toString('base64')}`, scale }
}
