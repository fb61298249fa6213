import { describe, expect, it } from 'vitest'
import { labelFromPath, parseLabelsCsv } from '../../../../src/core/import/labels'

describe('labelFromPath', () => {
  it.each([
    ['3/a.png', 3, 'folder'],
    ['scans/7/b/c.png', 7, 'folder'],
    ['3/4/x.png', 4, 'folder'],
    ['2/7_012.png', 2, 'folder'],
    ['7_012.png', 7, 'file-name'],
    ['012_7.png', 7, 'file-name'],
    ['digit7-012.png', 7, 'file-name'],
    ['scan_label_4.jpg', 4, 'file-name'],
    ['Class-9 copy.tif', 9, 'file-name'],
    ['sub/1-a.bmp', 1, 'file-name'],
    ['1_2.png', 1, 'file-name']
  ])('%s → %i from %s', (path, label, source) => {
    expect(labelFromPath(path)).toEqual({ label, source })
  })

  it.each(['012.png', '7.png', 'scan.png', '10/x.png', 'digit12.png', 'a12_34.png'])(
    '%s has no label',
    (path) => {
      expect(labelFromPath(path)).toBeNull()
    }
  )

  it('uses the imported folder’s own name as the outermost folder', () => {
    expect(labelFromPath('a.png', '5')).toEqual({ label: 5, source: 'folder' })
    expect(labelFromPath('6/a.png', '5')).toEqual({ label: 6, source: 'folder' })
  })
})

describe('parseLabelsCsv', () => {
  it('reads rows with a header, BOM, CRLF, quotes, backslashes and semicolons', () => {
    const { labels, problems } = parseLabelsCsv(
      '\uFEFFfile,label\r\n0/00.png,0\r\n"a, b.png",5\r\nsub\\c.png,7\r\n./d.png,1\r\n'
    )
    expect(Object.fromEntries(labels)).toEqual({ '0/00.png': 0, 'a, b.png': 5, 'sub/c.png': 7, 'd.png': 1 })
    expect(problems).toEqual([])
    expect(Object.fromEntries(parseLabelsCsv('x.png;3\ny.png;4').labels)).toEqual({ 'x.png': 3, 'y.png': 4 })
  })

  it('reports unusable rows with their line numbers', () => {
    const { labels, problems } = parseLabelsCsv('file,label\na.png,12\nb.png\nc.png,3\nc.png,4\n,5\n')
    expect(Object.fromEntries(labels)).toEqual({ 'c.png': 3 })
    expect(problems.map((p) => p.file)).toEqual([
      'labels.csv:2',
      'labels.csv:3',
      'labels.csv:5',
      'labels.csv:6'
    ])
    expect(problems[0].reason).toMatch(/not a digit/)
    expect(problems[2].reason).toMatch(/again/)
  })
})
