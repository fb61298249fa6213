import { describe, expect, it } from 'vitest'
import { PAGE_IMAGE_EXTENSIONS, pageFilesDialog, type ShellHost } from '../../../src/main/app/shell'
import { appHandlers } from '../../../src/main/services/app'
import { calls } from '../../../src/shared/contract'

/** appHandlers over a host whose file dialog answers `answer` (and records the title it was given). */
function handlersWith(answer: string[] | null) {
  const titles: (string | undefined)[] = []
  const host = {
    pickFiles: async (title?: string) => {
      titles.push(title)
      return answer
    }
  } as unknown as ShellHost
  const handlers = appHandlers(host, {} as never, {} as never, {} as never, '0.0.0')
  return { handlers, titles }
}

describe('dialog.pickFiles', () => {
  it('gives the files chosen in the dialog, with the title the view asked for', async () => {
    const { handlers, titles } = handlersWith(['/scans/page1.png', '/scans/page 2.jpg'])
    expect(await handlers['dialog.pickFiles']({ title: 'Choose page images' })).toEqual({
      paths: ['/scans/page1.png', '/scans/page 2.jpg']
    })
    expect(titles).toEqual(['Choose page images'])
  })

  it('gives null when the dialog is cancelled, chooses nothing, or does not exist (web mode)', async () => {
    expect(await handlersWith(null).handlers['dialog.pickFiles']({})).toEqual({ paths: null })
    expect(await handlersWith([]).handlers['dialog.pickFiles']({})).toEqual({ paths: null })
  })

  it('accepts only an optional short title', () => {
    const schema = calls['dialog.pickFiles'].request
    expect(schema.safeParse({}).success).toBe(true)
    expect(schema.safeParse({ title: 'Pages' }).success).toBe(true)
    expect(schema.safeParse({ title: 'x'.repeat(201) }).success).toBe(false)
    expect(schema.safeParse({ title: 3 }).success).toBe(false)
    expect(schema.safeParse({ title: 'Pages', properties: ['openDirectory'] }).success).toBe(false)
  })

  it('opens one or more image files (PNG, JPEG, TIFF, WebP) in the desktop dialog', () => {
    const options = pageFilesDialog('Choose page images')
    expect(options.title).toBe('Choose page images')
    expect(options.properties).toEqual(['openFile', 'multiSelections'])
    expect(options.filters).toEqual([
      { name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'webp'] }
    ])
    expect(PAGE_IMAGE_EXTENSIONS).toHaveLength(6)
    expect(pageFilesDialog()).not.toHaveProperty('title')
  })
})
