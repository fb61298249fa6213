/** The page reader's components are the preprocessing's own (one labelling for a digit and for a page). */
export { components, type Component } from '../preprocess/components'
