import { join } from 'node:path'
import { DEFAULT_MNIST_MIRRORS, downloadMnist, mnistStatus } from '../../core/data'
import { checkUserPath, defaultMnist } from '../../core/paths'
import type { MnistDefault, MnistStatus } from '../../shared/schemas/app'
import type { EmitEvent } from '../ipc/events'
import { ServiceError, type Handlers } from '../ipc/router'
import type { SettingsStore } from './settings'

type MnistCalls = Pick<Handlers, 'mnist.status' | 'mnist.download'>

/**
 * MNIST comes from the folder the user picked, else the one default the CLI uses too (DIGIT_STUDIO_MNIST, else
 * ../shared/data/mnist beside a checkout, else the download cache in the data folder).
 */
export class MnistService {
  constructor(
    private readonly dataDir: string,
    private readonly settings: SettingsStore
  ) {}

  get cacheDir(): string {
    return join(this.dataDir, 'mnist')
  }

  defaultFolder(): MnistDefault {
    return defaultMnist(this.dataDir)
  }

  /** The folder training uses, and why: the user's choice, else the default. */
  async folder(): Promise<{ folder: string; source: NonNullable<MnistStatus['source']> }> {
    const chosen = (await this.settings.get()).mnistFolder
    return chosen ? { folder: chosen, source: 'settings' } : this.defaultFolder()
  }

  handlers(emit: EmitEvent): MnistCalls {
    return {
      'mnist.status': async ({ folder }) => {
        const where = folder
          ? { folder: checkUserPath(folder), source: 'request' as const }
          : await this.folder()
        const status = await mnistStatus(where.folder)
        // A folder that holds good MNIST files becomes the one training uses.
        if (folder && status.available) await this.settings.update({ mnistFolder: where.folder })
        return { ...status, source: where.source }
      },
      'mnist.download': async ({ mirrors }) => {
        try {
          const status = await downloadMnist({
            cacheDir: this.cacheDir,
            mirrors,
            onProgress: (progress) => emit('mnist.progress', progress)
          })
          if (status.available) await this.settings.update({ mnistFolder: this.cacheDir })
          return { ...status, source: 'cache' as const }
        } catch (error) {
          if ((error as { code?: string }).code !== 'download-failed') throw error
          const tried = [...new Set(mirrors?.length ? mirrors : DEFAULT_MNIST_MIRRORS)].join(', ')
          throw new ServiceError(
            'unavailable',
            `Downloading MNIST needs an internet connection, and none of the mirrors answered (${tried}). ` +
              'Or choose a folder that already holds the four MNIST files (train-images-idx3-ubyte.gz, ' +
              'train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz).',
            'mnistOffline',
            { mirrors: tried }
          )
        }
      }
    }
  }
}
