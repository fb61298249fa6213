export * from './errors'
export * from './format'
export * from './store'
export * from './metadata'
