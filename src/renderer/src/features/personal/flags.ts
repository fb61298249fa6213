/** The "not sure" / "not a digit" flags of digits read (pad boxes, the Read view): short labels and notes. */
import type { Flag } from '../../../../shared/schemas/calibration'
import { t } from '../../i18n/index.svelte'

/** The flag's short label for a box ("not sure"), or '' for a sure digit or none. */
export function flagLabel(flag: Flag | null | undefined): string {
  if (flag === 'not-sure') return t('personal.flagNotSure')
  if (flag === 'not-a-digit') return t('personal.flagNotADigit')
  return ''
}

/** "Not sure about digit no. 2, 4: check it." (positions from 1) and the like, one per flag present. */
export function flagNotes(digits: readonly { flag?: Flag | null }[]): string[] {
  const at = (flag: Flag): string =>
    digits.flatMap((d, i) => (d.flag === flag ? [String(i + 1)] : [])).join(', ')
  const notSure = at('not-sure')
  const notADigit = at('not-a-digit')
  return [
    ...(notSure ? [t('personal.notSureAt', { positions: notSure })] : []),
    ...(notADigit ? [t('personal.notADigitAt', { positions: notADigit })] : [])
  ]
}
