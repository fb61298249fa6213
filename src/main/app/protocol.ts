/**
 * The packaged app's pages come from app://renderer/…, a privileged standard scheme served by protocol.handle,
 * not from file:// (with the grantFileProtocolExtraPrivileges fuse off, file: pages follow browser rules and the
 * built index.html's crossorigin module script and stylesheet are blocked). The request → response part is
 * renderer-files.ts, shared with web mode and tested outside Electron.
 */
import { protocol } from 'electron'
import { rendererResponse } from './renderer-files'
import { APP_SCHEME } from './security'

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
    }
  ])
}

/** Serves the built renderer in `rendererDir` on app://renderer/ (after the app is ready). */
export function serveAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request))
}
