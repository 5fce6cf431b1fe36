// What the screens need for direct messages, private follows and shared lists. Part of the
// AppBackend (backend.ts); src/app/wiring/private-backend.ts implements it over the store's
// private document and direct messages, and the network's mailboxes.
import type { AuthorId } from '../../core/types.ts'
import type { AuthorView } from './view-types.ts'

export interface ConversationView {
  readonly peer: AuthorView
  readonly preview: string
  readonly last: number
  readonly lastOut: boolean
  /** a message from them newer than what I (on any of my devices) read */
  readonly unread: boolean
  /** someone I do not follow and never wrote to */
  readonly request: boolean
}

export interface MessageView {
  readonly id: string
  readonly out: boolean
  readonly text: string
  readonly ts: number
  /** mine, not yet taken by any relay */
  readonly pending: boolean
}

export interface ConversationDetail {
  readonly peer: AuthorView
  readonly messages: readonly MessageView[]
  readonly request: boolean
  readonly muted: boolean
  readonly blocked: boolean
}

/** What this device's mailboxes delivered since the app started. */
export interface DeliveryView {
  readonly opened: number
  /** dropped, by typed reason: E_BAD_SEAL, E_REPLAYED, E_TRUNCATED…, or 'refused' by my settings */
  readonly dropped: Readonly<Record<string, number>>
}

export interface ListView {
  readonly author: AuthorView
  readonly id: string
  readonly name: string
  readonly description: string
  readonly keys: readonly AuthorView[]
  readonly words: readonly string[]
  /** how I apply it, if I subscribe */
  readonly subscribed?: 'mute' | 'block' | undefined
  /** entries of it I chose not to apply (author ids or words) */
  readonly overridden: readonly string[]
}

export interface PrivateSettingsView {
  readonly privateFollows: boolean
  readonly refuseRequests: boolean
}

/** The settings screen's part: my private settings and lists. */
export interface PersonalView {
  readonly settings: PrivateSettingsView
  readonly mine: readonly ListView[]
  readonly subscribed: readonly ListView[]
}

export interface PrivateBackend {
  conversations(): Promise<readonly ConversationView[]>
  conversation(peer: AuthorId): Promise<ConversationDetail>
  /** seals, keeps and sends; the text is kept (pending) when no relay takes it yet */
  sendMessage(peer: AuthorId, text: string): Promise<void>
  /** marks what is shown as read on all my devices */
  markRead(peer: AuthorId): Promise<void>
  /** conversations with unread messages (requests not counted) */
  unreadConversations(): Promise<number>
  delivery(): DeliveryView

  privateSettings(): Promise<PrivateSettingsView>
  setPrivateFollows(on: boolean): Promise<void>
  setRefuseRequests(on: boolean): Promise<void>

  /** lists published by `author` (me included), with my subscription state */
  listsOf(author: AuthorId): Promise<readonly ListView[]>
  /** lists I subscribe to, whoever published them */
  subscribedLists(): Promise<readonly ListView[]>
  subscribeList(author: AuthorId, id: string, action: 'mute' | 'block' | undefined): Promise<void>
  setListOverride(author: AuthorId, id: string, entry: string, skip: boolean): Promise<void>
  createList(name: string, description: string): Promise<string>
  editList(id: string, patch: { addKeys?: AuthorId[]; removeKeys?: AuthorId[]; addWords?: string[]; removeWords?: string[] }): Promise<void>
  deleteList(id: string): Promise<void>
  /** blocks them and adds them to my list, in one step */
  blockAndAddToList(author: AuthorId, id: string): Promise<void>
}
