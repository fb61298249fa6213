import { randomUUID } from 'node:crypto'
import { exportResult } from '../../core/export'
import { assessorFor } from '../../core/calibration'
import { importFolder, renderSampleImage } from '../../core/import'
import { checkUserPath } from '../../core/paths'
import type { ImportResult } from '../../shared/schemas/import'
import type { ImportResultWithId } from '../../shared/schemas/jobs'
import type { EmitEvent } from '../ipc/events'
import { ServiceError, toCallError, type Handlers } from '../ipc/router'
import { writeFileAtomically } from './files'
import type { JobTracker } from './jobs'
import type { ModelService } from './models'
import type { SettingsStore } from './settings'

type TestSetCalls = Pick<
  Handlers,
  'testset.import' | 'testset.cancel' | 'testset.sampleImage' | 'testset.export'
>

/** How many finished imports stay available for galleries and exports. */
const KEEP_RESULTS = 8

export class TestSetService {
  private readonly results = new Map<string, ImportResult>()
  private running: AbortController | null = null

  constructor(
    private readonly models: ModelService,
    private readonly settings: SettingsStore,
    private readonly jobs: JobTracker
  ) {}

  /** Makes the last import kept in the data folder available again (gallery, exports) after a restart. */
  async restore(): Promise<void> {
    const last = await this.jobs.restore()
    if (last) this.results.set(last.importId, last)
  }

  /** A finished import, for taking its labelled samples into the personal collection. */
  resultOf(importId: string): ImportResult {
    return this.result(importId)
  }

  private result(importId: string): ImportResult {
    const result = this.results.get(importId)
    if (!result)
      throw new ServiceError('not-found', 'That import is no longer available; import the folder again.')
    return result
  }

  /** Imports a folder with the active model (or `modelId`) and keeps the result for galleries and exports. */
  async runImport(
    request: { folder: string; modelId?: string },
    emit: EmitEvent
  ): Promise<ImportResultWithId> {
    const folder = checkUserPath(request.folder)
    const modelId = request.modelId
    if (this.running) throw new ServiceError('conflict', 'An import is already running.', 'alreadyRunning')
    const controller = new AbortController()
    this.running = controller
    this.jobs.importStarted(folder, modelId ?? null)
    try {
      // The import keeps its model to the end, even if it is renamed, deleted or switched meanwhile.
      const { model: classifier, release } = await this.models.borrow(modelId)
      try {
        const result = await importFolder(folder, classifier, {
          signal: controller.signal,
          onProgress: (progress) => {
            this.jobs.importProgress(progress)
            emit('testset.progress', progress)
          },
          assess: assessorFor(classifier, (await this.settings.get()).unsureThreshold)
        })
        const importId = randomUUID()
        this.results.set(importId, result)
        for (const old of [...this.results.keys()].slice(0, -KEEP_RESULTS)) this.results.delete(old)
        // Remembering the folder is a convenience: a read-only or full data folder must not lose the result.
        await this.settings.update({ lastImportFolder: folder }).catch(() => undefined)
        await this.jobs.importFinished({ ...result, importId })
        return { ...result, importId }
      } finally {
        release()
      }
    } catch (error) {
      this.jobs.importFailed(toCallError(error))
      throw error
    } finally {
      this.running = null
    }
  }

  handlers(emit: EmitEvent): TestSetCalls {
    return {
      'testset.import': (request) => this.runImport(request, emit),
      'testset.cancel': async () => {
        const running = this.running
        running?.abort()
        return { cancelled: running !== null }
      },
      'testset.sampleImage': async ({ importId, file }) => {
        const result = this.result(importId)
        // Only files this import listed can be shown: the renderer cannot name any other file.
        if (!result.samples.some((sample) => sample.file === file)) {
          throw new ServiceError('not-found', `${file} is not a sample of this import.`)
        }
        return { dataUrl: await renderSampleImage(result.folder, file) }
      },
      'testset.export': async ({ importId, format, file }) => {
        const exported = exportResult(this.result(importId), format)
        if (file) await writeFileAtomically(checkUserPath(file), exported.content, 'if-confirmed')
        return {
          fileName: exported.fileName,
          content: exported.content,
          savedTo: file ? checkUserPath(file) : null
        }
      }
    }
  }
}
