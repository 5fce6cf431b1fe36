// Hash routes (`#/thread/<id>`): they work from any path on any host (base './'), and the
// fragment never reaches a server. `#invite=…` is not a route: main.ts consumes it first.
export type Route =
  | { name: 'home' }
  | { name: 'community' }
  | { name: 'notifications' }
  | { name: 'search'; query: string }
  | { name: 'me' }
  | { name: 'profile'; author: string }
  | { name: 'edit-profile' }
  | { name: 'thread'; id: string }
  | { name: 'bookmarks' }
  | { name: 'settings' }
  | { name: 'messages' }
  | { name: 'requests' }
  | { name: 'conversation'; peer: string }

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '')
  const [head = '', ...rest] = path.split('/')
  const [name = '', queryString = ''] = head.split('?')
  const tail = rest.join('/')
  switch (name) {
    case 'community':
      return { name: 'community' }
    case 'notifications':
      return { name: 'notifications' }
    case 'search':
      return { name: 'search', query: new URLSearchParams(queryString).get('q') ?? '' }
    case 'me':
      return { name: 'me' }
    case 'edit-profile':
      return { name: 'edit-profile' }
    case 'settings':
      return { name: 'settings' }
    case 'bookmarks':
      return { name: 'bookmarks' }
    case 'messages':
      return { name: 'messages' }
    case 'requests':
      return { name: 'requests' }
    case 'conversation':
      return tail ? { name: 'conversation', peer: decodeURIComponent(tail) } : { name: 'messages' }
    case 'profile':
      return tail ? { name: 'profile', author: decodeURIComponent(tail) } : { name: 'me' }
    case 'thread':
      return tail ? { name: 'thread', id: decodeURIComponent(tail) } : { name: 'home' }
    default:
      return { name: 'home' }
  }
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'search':
      return route.query ? `#/search?q=${encodeURIComponent(route.query)}` : '#/search'
    case 'profile':
      return `#/profile/${encodeURIComponent(route.author)}`
    case 'thread':
      return `#/thread/${encodeURIComponent(route.id)}`
    case 'conversation':
      return `#/conversation/${encodeURIComponent(route.peer)}`
    default:
      return `#/${route.name}`
  }
}
