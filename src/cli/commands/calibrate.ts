import path from 'node:path'
import { parseCommandArgs } from '../parse-args'
import { selectBackend } from '../../core/backend'
import { calibrateOnMnist } from '../../core/calibration/fit'
import { loadMnist } from '../../core/data/mnist'
import { readMetadata, readModelFolder, runnerModel, writeCalibration } from '../../core/models'
import { featureLayerOf } from '../../core/model/weights'
import { parseBackendOption } from '../backend-option'
import { defaultMnistDir } from '../defaults'
import { printJson } from '../output'
import { UsageError, type CliCommand } from '../types'

const USAGE = 'digit-studio calibrate MODEL_DIR [--mnist DIR] [--json] [--backend auto|tensorflow|wasm|cpu]'

export const command: CliCommand = {
  name: 'calibrate',
  usage: USAGE,
  summary:
    'Fit the model\'s temperature for the "not sure" flag and its "not a digit" detector on held-out MNIST training images; record them in metadata.json (the detector\'s arrays in detector.bin).',
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      {
        mnist: { type: 'string' },
        json: { type: 'boolean', default: false },
        backend: { type: 'string' },
        help: { type: 'boolean', default: false }
      },
      `${USAGE}\n`,
      io
    )
    if (!parsed) return 0
    const { values, positionals } = parsed
    if (positionals.length !== 1) throw new UsageError('give exactly one MODEL_DIR')
    const folder = path.resolve(positionals[0])
    await selectBackend(parseBackendOption(values.backend))
    const { metadata, weights } = await readModelFolder(folder)
    const data = await loadMnist(path.resolve(values.mnist ?? defaultMnistDir()), { testLimit: 1 })
    const model = runnerModel(metadata.id, metadata, weights)
    try {
      const { calibration, detector } = await calibrateOnMnist(model, data.train, {
        layer: featureLayerOf(weights)
      })
      await writeCalibration(folder, weights, { ...metadata, calibration }, detector)
      const written = (await readMetadata(folder)).calibration // as recorded (with the weights' checksum)
      if (values.json) printJson(io, { model: folder, calibration: written })
      else
        io.stdout(
          `${folder}: temperature ${calibration.temperature.toFixed(3)} ` +
            `(NLL ${calibration.nllBefore.toFixed(4)} → ${calibration.nllAfter.toFixed(4)} on ${calibration.source}); ` +
            (detector
              ? `"not a digit" detector on ${detector.info.layer}: ${detector.info.components} directions per ` +
                `digit, threshold ${detector.info.threshold.toPrecision(4)} (${detector.info.percentile}th ` +
                `percentile), written to ${path.join(folder, detector.info.file)}\n`
              : 'too few held-out digits per class for the "not a digit" detector: none written\n')
        )
    } finally {
      model.dispose()
    }
    return 0
  }
}
