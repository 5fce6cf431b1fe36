// The few service-worker types the worker uses. TypeScript's "webworker" library cannot be
// loaded beside "DOM" in one program, and the rest of the app needs DOM.
export interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void
}

export interface FetchEvent extends ExtendableEvent {
  readonly request: Request
  respondWith(response: Response | Promise<Response>): void
}

export interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown
  readonly ports: readonly MessagePort[]
}

export interface WorkerClient {
  postMessage(message: unknown): void
}

export interface WorkerClients {
  matchAll(options?: { includeUncontrolled?: boolean; type?: 'window' | 'worker' | 'all' }): Promise<WorkerClient[]>
  claim(): Promise<void>
}

export interface ServiceWorkerScope {
  readonly registration: ServiceWorkerRegistration
  readonly clients: WorkerClients
  readonly caches: CacheStorage
  skipWaiting(): Promise<void>
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void
}
