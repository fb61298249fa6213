import { z } from 'zod'

// The strict CSP forbids eval; zod must not try its compiled fast path (it would log a CSP violation).
// Imported first by main.ts, before any module that parses with a schema.
z.config({ jitless: true })
