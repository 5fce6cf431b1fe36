// The interface between the app's screens and the local-first machinery (store + network).
// src/app/wiring implements it over createStore/createNetwork; the controller and the UI
// only ever see this. Every method may throw a WildgrassError with a code the UI can show.
import type { PhotoSettings } from '../lib/data-saver.ts'
import type { AuthorId, EventId } from '../../core/types.ts'
import type { AppLockControl } from './app-lock.ts'
import type { PhraseLanguage } from './phrase-language.ts'
import type { PrivateBackend } from './private-backend.ts'
import type {
  AuthorView,
  ConnectionView,
  NotificationView,
  Page,
  PostDraft,
  PostView,
  PrivacyMode,
  ProfileDraft,
  ProfileView,
  SearchResults,
} from './view-types.ts'

export interface WipeOptions {
  /** also unregister the service worker and delete its caches: no installed copy of the app stays */
  readonly leaveNoTrace?: boolean
}

export interface AppSettings {
  readonly relays: readonly string[]
  readonly privacy: PrivacyMode
  readonly mutedWords: readonly string[]
  /** the community joined through an invite (protocol/invites.md `community`), if any */
  readonly community?: string | undefined
  /** data-saver mode and whether alt text is required (this device's, like the rest) */
  readonly photos: PhotoSettings
}

export interface AppBackend extends PrivateBackend {
  readonly me: AuthorId
  /** the app lock of this device (src/app/README.md "App lock"); absent where the app has none */
  readonly appLock?: AppLockControl | undefined
  /** the backup phrase in the given word list; shown only when the user asks */
  revealPhrase(language: PhraseLanguage): string

  /** `limit`: page size (default 30, at most 200) */
  homeTimeline(cursor?: string, limit?: number): Promise<Page<PostView>>
  communityTimeline(cursor?: string, limit?: number): Promise<Page<PostView>>
  authorPosts(author: AuthorId, cursor?: string, limit?: number): Promise<Page<PostView>>
  thread(id: EventId): Promise<readonly PostView[]>
  /** my bookmarks, newest bookmarked first */
  bookmarks(cursor?: string): Promise<Page<PostView>>
  /**
   * people a newcomer might follow: whom the people I follow follow (most followed first), then
   * recent authors of the community timeline; never me, someone I follow or someone blocked
   */
  suggestedPeople(limit?: number): Promise<readonly AuthorView[]>
  notifications(): Promise<readonly NotificationView[]>
  search(query: string): Promise<SearchResults>
  /**
   * People to offer after `@` in compose: follows, followers, then anyone seen, whose name
   * starts with (then contains) `prefix`; never me or someone blocked. At most `limit` (8).
   */
  mentionCandidates(prefix: string, limit?: number): Promise<readonly AuthorView[]>
  profile(author: AuthorId): Promise<ProfileView>
  blockedAndMuted(): Promise<readonly AuthorView[]>

  post(draft: PostDraft): Promise<EventId>
  react(target: EventId, emoji: string): Promise<void>
  repost(target: EventId): Promise<void>
  /** a new version of my post: its text, content warning, language and mentions */
  editPost(id: EventId, draft: PostDraft): Promise<void>
  deletePost(id: EventId): Promise<void>
  /** an object URL of a photo's bytes, checked against its hash (E_UNAVAILABLE: no relay has it) */
  imageUrl(sha256: string, type: string): Promise<string>
  setBookmarked(id: EventId, bookmarked: boolean): Promise<void>
  follow(author: AuthorId): Promise<void>
  unfollow(author: AuthorId): Promise<void>
  editProfile(draft: ProfileDraft): Promise<void>
  setMuted(author: AuthorId, muted: boolean): Promise<void>
  setBlocked(author: AuthorId, blocked: boolean): Promise<void>

  settings(): AppSettings
  setMutedWords(words: readonly string[]): Promise<void>
  setPhotoSettings(photos: PhotoSettings): Promise<void>
  addRelay(address: string): Promise<void>
  removeRelay(address: string): Promise<void>
  setPrivacy(mode: PrivacyMode): Promise<void>
  setCommunity(name: string | undefined): Promise<void>
  createInviteLink(appUrl: string, community?: string): string

  /**
   * With a passphrase: everything, the identity secret included, sealed with it (scrypt +
   * AES-256-GCM). Without: everything but the secret, in clear (src/app/README.md "Export file").
   */
  exportData(passphrase?: string): Promise<Uint8Array>
  /**
   * merges an export file of this same identity (E_WRONG_AUTHOR for another one; E_BAD_PHRASE
   * for a wrong or missing passphrase of a sealed file). Nothing is applied before it decodes.
   */
  importData(bytes: Uint8Array, passphrase?: string): Promise<void>
  /**
   * everything on this device is erased; the page should reload afterwards, or, with
   * `leaveNoTrace`, leave: the offline copy of the app (service worker, caches) is gone too
   */
  wipe(options?: WipeOptions): Promise<void>

  /** called whenever anything shown may have changed (new events, sync, status) */
  subscribe(listener: () => void): () => void
  connection(): ConnectionView
  stop(): Promise<void>
}
