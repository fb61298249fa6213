/** Makes sure the electron package is installed (without its binary where the download fails); false on failure. */
export function ensureElectronPackage(): boolean
/** The path of the Electron binary, or null where this machine has none. */
export function electronBinary(): string | null
