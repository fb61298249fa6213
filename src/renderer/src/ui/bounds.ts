/**
 * Limits of a number field, read from the contract's zod schema, so the UI, the CLI and the main process use
 * one set of bounds.
 */
import type { z } from 'zod'

export interface NumberBounds {
  min?: number
  max?: number
  integer: boolean
}

interface Wrapper {
  def: { innerType?: z.ZodType; type: string }
}

/** The number schema under `.default()`, `.nullable()`, `.optional()` and `.catch()`. */
function unwrap(schema: z.ZodType): z.ZodNumber | null {
  let current: z.ZodType | undefined = schema
  for (let depth = 0; current && depth < 8; depth++) {
    const def: Wrapper['def'] = (current as unknown as Wrapper).def
    if (def.type === 'number') return current as z.ZodNumber
    current = def.innerType
  }
  return null
}

export function numberBounds(schema: z.ZodType): NumberBounds {
  const number = unwrap(schema)
  if (!number) return { integer: false }
  const finite = (value: number | null): number | undefined =>
    value !== null && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined
  return {
    min: finite(number.minValue),
    max: finite(number.maxValue),
    integer: number.isInt
  }
}
