/** The views of the sidebar, in order; other features add theirs here. */
import type { MessageKey } from '../i18n/index.svelte'

export type ViewId = 'draw' | 'read' | 'train' | 'testsets' | 'models' | 'collection' | 'settings'

export const views: { id: ViewId; label: MessageKey; icon: string }[] = [
  { id: 'draw', label: 'nav.draw', icon: '✎' },
  { id: 'read', label: 'nav.read', icon: '▤' },
  { id: 'train', label: 'nav.train', icon: '◔' },
  { id: 'testsets', label: 'nav.testsets', icon: '▦' },
  { id: 'models', label: 'nav.models', icon: '◫' },
  { id: 'collection', label: 'nav.collection', icon: '✚' },
  { id: 'settings', label: 'nav.settings', icon: '⚙' }
]

export function viewFromHash(): ViewId {
  const id = window.location.hash.slice(1)
  return views.some((view) => view.id === id) ? (id as ViewId) : 'draw'
}
