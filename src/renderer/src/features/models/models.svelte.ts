/** The model list, shared by the status bar and every view; the Models view's actions change it here. */
import type { ModelSummary } from '../../../../shared/schemas/models'
import { t } from '../../i18n/index.svelte'
import { invoke } from '../../lib/api'
import { pickFolder } from '../../lib/dialogs'
import { describeError, type Problem } from '../../ui/errors'
import { app } from '../settings/settings.svelte'

export const models = $state<{ list: ModelSummary[] }>({ list: [] })

export function activeModel(): ModelSummary | null {
  return models.list.find((model) => model.active) ?? null
}

/** A model's name for display: the id when the model is no longer listed. */
export function modelName(id: string): string {
  return models.list.find((model) => model.id === id)?.name ?? id
}

export async function refreshModels(): Promise<void> {
  models.list = await invoke('models.list', {})
}

export async function setActive(id: string): Promise<void> {
  models.list = await invoke('models.setActive', { id })
}

export async function renameModel(id: string, name: string): Promise<void> {
  models.list = await invoke('models.rename', { id, name })
}

export async function deleteModel(id: string): Promise<void> {
  models.list = await invoke('models.delete', { id })
}

/** Imports a model folder; returns the new model (the one that was not listed before). */
export async function importModel(folder: string): Promise<ModelSummary | null> {
  const before = models.list.map((model) => model.id)
  models.list = await invoke('models.import', { folder })
  return models.list.find((model) => !before.includes(model.id)) ?? null
}

export async function exportModel(id: string, folder: string): Promise<string> {
  return (await invoke('models.export', { id, folder })).folder
}

/** The Models view's own state: one action at a time, its problem or its notice. */
export const manage = $state<{
  busy: boolean
  problem: Problem | null
  notice: string | null
  renaming: { id: string; name: string } | null
  exporting: ModelSummary | null
  exportFolder: string
  importFolder: string
}>({
  busy: false,
  problem: null,
  notice: null,
  renaming: null,
  exporting: null,
  exportFolder: '',
  importFolder: ''
})

/** Every action: one request, then the list the main process answers with (or a readable error). */
export async function act(work: () => Promise<void>): Promise<void> {
  manage.busy = true
  manage.notice = null
  try {
    await work()
    manage.problem = null
  } catch (error) {
    manage.problem = describeError(error)
  } finally {
    manage.busy = false
  }
}

export const saveRename = () =>
  act(async () => {
    if (!manage.renaming) return
    const { id, name } = manage.renaming
    if (name.trim()) await renameModel(id, name.trim())
    manage.renaming = null
  })

export const importFolder = () =>
  act(async () => {
    const added = await importModel(manage.importFolder.trim())
    manage.importFolder = ''
    manage.notice = added ? t('models.importedAs', { name: added.name }) : t('models.imported')
  })

export const exportTo = () =>
  act(async () => {
    if (!manage.exporting) return
    const folder = await exportModel(manage.exporting.id, manage.exportFolder.trim())
    manage.notice = t('models.exported', { folder })
    manage.exporting = null
  })

/** Desktop: a native folder dialog, then the export; web: the view asks for a path. */
export async function startExport(model: ModelSummary): Promise<void> {
  manage.exporting = model
  if (!app.info?.nativeDialogs) return
  const path = await pickFolder(t('models.exportTitle', { name: model.name })).catch(() => null)
  if (!path) {
    manage.exporting = null
    return
  }
  manage.exportFolder = path
  await exportTo()
}
