import { join } from 'node:path'
import { downloadMnist, mnistStatus } from '../../core/data'
import type { EmitEvent } from '../ipc/events'
import type { Handlers } from '../ipc/router'
import type { SettingsStore } from './settings'

type MnistCalls = Pick<Handlers, 'mnist.status' | 'mnist.download'>

/** MNIST comes from a folder the user picks, or is downloaded into the data folder's cache. */
export class MnistService {
  constructor(
    private readonly dataDir: string,
    private readonly settings: SettingsStore
  ) {}

  get cacheDir(): string {
    return join(this.dataDir, 'mnist')
  }

  /** The folder training uses: the user's choice, else the download cache. */
  async folder(): Promise<string> {
    return (await this.settings.get()).mnistFolder ?? this.cacheDir
  }

  handlers(emit: EmitEvent): MnistCalls {
    return {
      'mnist.status': async ({ folder }) => {
        const status = await mnistStatus(folder ?? (await this.folder()))
        // A folder that holds good MNIST files becomes the one training uses.
        if (folder && status.available) await this.settings.update({ mnistFolder: folder })
        return status
      },
      'mnist.download': async ({ mirrors }) => {
        const status = await downloadMnist({
          cacheDir: this.cacheDir,
          mirrors,
          onProgress: (progress) => emit('mnist.progress', progress)
        })
        if (status.available) await this.settings.update({ mnistFolder: this.cacheDir })
        return status
      }
    }
  }
}
