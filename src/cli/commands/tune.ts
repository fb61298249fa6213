import path from 'node:path'
import { parseCommandArgs } from '../parse-args'
import { selectBackend } from '../../core/backend'
import { loadMnist } from '../../core/data/mnist'
import { readModelFolder } from '../../core/models'
import { labelledForms } from '../../core/personal/folder'
import { tuneModel } from '../../core/personal/tune'
import { parseBackendOption } from '../backend-option'
import { SHIPPED_MODEL_DIR, defaultMnistDir } from '../defaults'
import { percent, printJson, schemaOption } from '../output'
import { TuneRequestSchema, type TuningVerdict } from '../../shared/schemas/personal'
import { HyperparametersSchema } from '../../shared/schemas/training'
import { UsageError, type CliCommand } from '../types'

const USAGE =
  'digit-studio tune FOLDER [--model MODEL_DIR] --out MODEL_DIR [--epochs N] [--json] [--mnist DIR] ' +
  '[--seed S] [--backend auto|tensorflow|wasm|cpu]'

const HELP = `${USAGE}

Fine-tunes a model on the labelled images of FOLDER (labels by the import rules, docs/import-rules.md)
mixed with MNIST training images, so it learns that handwriting without forgetting MNIST. Every 5th image
of each digit is held apart and measured before and after, with MNIST's test set. The tuned model is
written to --out (a new folder); the model it starts from is never changed.

  --model DIR   the model to start from (default: the shipped default model)
  --out DIR     where to save the tuned model (required; not the --model folder)
  --epochs N    passes over the mixed set (default 5)
  --json        one JSON document: before and after accuracy (fractions) on the held-out images and MNIST test,
                and the verdict (better, unchanged, worse, unmeasured: whether the tuned model is worth using)
`

const VERDICT_WHY: Record<TuningVerdict, string> = {
  better: 'more held-out images right, MNIST within half a point: worth using',
  unchanged: 'no more held-out images right: the model it started from reads them as well',
  worse: 'fewer held-out images right, or MNIST down more than half a point: keep the model it started from',
  unmeasured: 'fewer than 5 images of each digit, none held apart; MNIST within half a point'
}

const pct = (value: number | null) => (value === null ? '—' : percent(value))

export const command: CliCommand = {
  name: 'tune',
  usage: USAGE,
  summary: "Teach a model someone's handwriting: fine-tune it on a labelled folder mixed with MNIST.",
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      {
        model: { type: 'string' },
        out: { type: 'string' },
        epochs: { type: 'string' },
        seed: { type: 'string' },
        mnist: { type: 'string' },
        json: { type: 'boolean', default: false },
        backend: { type: 'string' },
        help: { type: 'boolean', default: false }
      },
      HELP,
      io
    )
    if (!parsed) return 0
    const { values, positionals } = parsed
    if (positionals.length !== 1) throw new UsageError('give exactly one FOLDER of labelled images')
    if (!values.out)
      throw new UsageError('--out MODEL_DIR is required (the tuned model is always a new model)')
    const modelDir = path.resolve(values.model ?? SHIPPED_MODEL_DIR)
    const out = path.resolve(values.out)
    if (out === modelDir)
      throw new UsageError('--out must differ from --model: the base model is never overwritten')
    const epochs = schemaOption(values.epochs, 'epochs', TuneRequestSchema.shape.epochs.unwrap())
    const seed = schemaOption(values.seed, 'seed', HyperparametersSchema.shape.seed.unwrap())
    const backend = await selectBackend(parseBackendOption(values.backend))
    const base = await readModelFolder(modelDir)
    const folder = await labelledForms(path.resolve(positionals[0]))
    if (folder.forms.length === 0) {
      throw Object.assign(new Error(`${folder.folder}: no labelled image with a digit to learn from`), {
        code: 'no-samples',
        file: folder.folder
      })
    }
    const mnist = await loadMnist(path.resolve(values.mnist ?? defaultMnistDir()))
    const samples = folder.forms.map((f, i) => ({
      id: String(i),
      label: f.label,
      bytes: Uint8Array.from(f.pixels, (v) => Math.round(v * 255))
    }))
    const json = values.json
    const { report, status } = await tuneModel({
      base: { id: base.metadata.id, ...base },
      samples,
      mnist,
      epochs,
      seed,
      outFolder: out,
      backend: backend.name,
      onEvent: (event) => {
        if (json) return
        if (event.kind === 'epoch')
          io.stdout(
            `epoch ${event.epoch}: train acc ${percent(event.trainAccuracy)} | MNIST test ${percent(event.testAccuracy)} | ${event.seconds.toFixed(1)} s\n`
          )
        else if (event.kind === 'status' && event.message) io.stdout(`${event.state}: ${event.message}\n`)
      }
    })
    if (json) {
      printJson(io, {
        ...report,
        state: status.state,
        folder: folder.folder,
        model: modelDir,
        unlabelled: folder.unlabelled,
        noDigit: folder.noDigit,
        skipped: folder.skipped
      })
    } else {
      io.stdout(
        `held-out images of ${folder.folder} (${report.heldOutSamples}): ${pct(report.before.heldOut)} → ${pct(report.after.heldOut)}\n` +
          `MNIST test set: ${pct(report.before.mnistTest)} → ${pct(report.after.mnistTest)}\n` +
          (status.state === 'done'
            ? `saved the tuned model to ${out}\nverdict: ${report.verdict} (${VERDICT_WHY[report.verdict]})\n`
            : `${status.message ?? ''}\n`)
      )
      for (const skip of folder.skipped) io.stdout(`  skipped ${skip.file}: ${skip.reason}\n`)
    }
    return status.state === 'done' ? 0 : 1
  }
}
