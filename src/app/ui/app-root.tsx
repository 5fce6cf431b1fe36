// The root component: onboarding until an identity exists, then the shell with the current
// screen. Reads the controller's signals; every action is a controller or session call.
import type { AuthorId } from '../../core/types.ts'
import type { Controller } from '../state/controller.ts'
import type { InvitePrompt } from '../state/invite-prompt.ts'
import type { Session } from '../state/session.ts'
import { AppShell } from './app-shell.tsx'
import { ComposeBox } from './compose-box.tsx'
import { I18nContext } from './i18n-context.ts'
import { InsecureOriginNotice } from './insecure-origin-notice.tsx'
import { InviteOffer } from './invite-offer.tsx'
import { Onboarding } from './onboarding.tsx'
import { ReleaseWarning } from './release-warning.tsx'
import { ScreenView, type ScreenCallbacks } from './screen-view.tsx'
import type { PostActions } from './post-actions.ts'
import type { ProfileActions } from './profile-header.tsx'
import type { SettingsActions } from './settings-view.tsx'
import { createTranslator } from '../i18n/index.ts'
import { browserConnection, photosWaitForTap } from '../lib/data-saver.ts'

export interface RootProps {
  controller: Controller
  /** the first visit's session (key, phrase, then the engine); none when an identity is saved here */
  session: Session | undefined
  /** the invite opened in this tab, waiting for the person's decision */
  invites: InvitePrompt
  /** set on an insecure origin (plain http): the https form of this address, to suggest */
  secureAddress?: string | undefined
  countGraphemes: (text: string) => number
  maxGraphemes: number
  downloadFile: (name: string, bytes: Uint8Array) => void
}

export function AppRoot(props: RootProps) {
  const c = props.controller
  const language = c.language.value
  const i18n = { language, t: createTranslator(language) }
  const { t } = i18n
  const session = props.session
  const warning = <ReleaseWarning release={c.release.value} onReload={() => location.reload()} />

  if (c.phase.value === 'onboarding' && session) {
    return (
      <I18nContext.Provider value={i18n}>
        {warning}
        <Onboarding
          inviterName={session.inviterName.value}
          notice={c.notice.value}
          loaded={session.loaded.value}
          invite={<InviteOffer prompt={props.invites} />}
          insecure={props.secureAddress !== undefined && <InsecureOriginNotice secureAddress={props.secureAddress} />}
          onPrepare={(profile) => session.prepareIdentity(profile, language)}
          onFinish={session.finishOnboarding}
          onRestore={session.restoreIdentity}
          onImportFile={session.importData}
          onLanguage={c.setLanguage}
        />
      </I18nContext.Provider>
    )
  }

  const b = c.backend
  const act = (work: (backend: NonNullable<typeof b>) => Promise<unknown>): void => {
    if (b) void c.act(() => work(b))
  }
  const post: PostActions = {
    openThread: (id) => c.navigate({ name: 'thread', id }),
    openProfile: (author) => c.navigate({ name: 'profile', author }),
    openHashtag: (tag) => c.navigate({ name: 'search', query: tag }),
    reply: (p) => {
      c.compose.value = { replyTo: p }
      focusCompose()
    },
    quote: (p) => {
      c.compose.value = { quote: p }
      focusCompose()
    },
    repost: (id) => act((x) => x.repost(id)),
    react: (id, emoji) => act((x) => x.react(id, emoji)),
    undo: (id) => act((x) => x.deletePost(id)),
    imageUrl: (sha256, type) => (b ? b.imageUrl(sha256, type) : Promise.reject(new Error('not started'))),
    photosWaitForTap: photosWaitForTap(b?.settings().photos.dataSaver ?? 'auto', browserConnection()),
    edit: (p) => {
      c.compose.value = { edit: p }
      focusCompose()
    },
    bookmark: (id, on) => act((x) => x.setBookmarked(id, on)),
    deletePost: (id) => {
      if (!confirm(t('post.deleteConfirm'))) return
      act(async (x) => {
        await x.deletePost(id)
        c.notice.value = t('post.deleted')
      })
    },
  }
  const profile: ProfileActions = {
    follow: (author, follow) => act((x) => (follow ? x.follow(author) : x.unfollow(author))),
    mute: (author, mute) => act((x) => x.setMuted(author, mute)),
    block: (author, block) => act((x) => x.setBlocked(author, block)),
    edit: () => c.navigate({ name: 'edit-profile' }),
  }
  const settings: SettingsActions = {
    setLanguage: c.setLanguage,
    addRelay: async (address) => {
      if (b) {
        await b.addRelay(address)
        await c.refresh()
      }
    },
    removeRelay: async (address) => {
      if (b) {
        await b.removeRelay(address)
        await c.refresh()
      }
    },
    setPrivacy: async (mode) => {
      if (b) {
        await b.setPrivacy(mode)
        await c.refresh()
      }
    },
    setMutedWords: async (words) => {
      if (b) {
        await b.setMutedWords(words)
        await c.refresh()
      }
    },
    setPhotoSettings: async (photos) => {
      if (b) {
        await b.setPhotoSettings(photos)
        await c.refresh()
      }
    },
    unblock: (author) =>
      act(async (x) => {
        await x.setBlocked(author.id, false)
        await x.setMuted(author.id, false)
      }),
    createInvite: (community) => (b ? b.createInviteLink(location.href.split('#')[0] ?? location.href, community) : ''),
    revealPhrase: () => (b ? b.revealPhrase(language) : ''),
    exportData: async (passphrase) => {
      if (!b) return
      const kind = passphrase === undefined ? '-without-key' : ''
      props.downloadFile(`wildgrass-${new Date().toISOString().slice(0, 10)}${kind}.wildgrass`, await b.exportData(passphrase))
    },
    importData: async (bytes, passphrase) => {
      if (b) {
        await b.importData(bytes, passphrase)
        await c.refresh()
      }
    },
    wipe: async (options) => {
      if (b) {
        await b.wipe(options)
        // leaving no trace: reloading would install the app again
        location.replace(options?.leaveNoTrace ? 'about:blank' : (location.href.split('#')[0] ?? './'))
      }
    },
    appLock: b?.appLock,
  }
  const on: ScreenCallbacks = {
    post,
    profile,
    settings,
    search: (query) => c.navigate({ name: 'search', query }),
    saveProfile: async (draft) => {
      if (b) {
        await c.act(() => b.editProfile(draft))
        c.navigate({ name: 'me' })
      }
    },
    cancelEdit: () => c.navigate({ name: 'me' }),
    openProfile: (author: AuthorId) => c.navigate({ name: 'profile', author }),
    loadMore: () => void c.loadMore(),
    conversation: {
      send: async (peer, text) => {
        if (b) {
          await b.sendMessage(peer, text)
          await c.refresh()
        }
      },
      mute: (peer, mute) => act((x) => x.setMuted(peer, mute)),
      block: (peer, block) => act((x) => x.setBlocked(peer, block)),
    },
    personal: {
      setPrivateFollows: async (on) => {
        if (b) await c.act(() => b.setPrivateFollows(on))
      },
      setRefuseRequests: async (on) => {
        if (b) await c.act(() => b.setRefuseRequests(on))
      },
      createList: async (name, description) => {
        if (b) await c.act(() => b.createList(name, description))
      },
      editList: async (id, patch) => {
        if (b) await c.act(() => b.editList(id, patch))
      },
      deleteList: async (id) => {
        if (b) await c.act(() => b.deleteList(id))
      },
      subscribeList: async (author, id, action) => {
        if (b) await c.act(() => b.subscribeList(author, id, action))
      },
      setListOverride: async (author, id, entry, skip) => {
        if (b) await c.act(() => b.setListOverride(author, id, entry, skip))
      },
    },
    profileLists: {
      message: (author) => c.navigate({ name: 'conversation', peer: author }),
      subscribeList: async (author, id, action) => {
        if (b) await c.act(() => b.subscribeList(author, id, action))
      },
      blockAndAddToList: async (author, id) => {
        if (b) await c.act(() => b.blockAndAddToList(author, id))
      },
    },
    showNewPosts: () => void c.showNewPosts().then(() => window.scrollTo({ top: 0 })),
  }
  const route = c.route.value
  const context = c.compose.value
  const showCompose =
    b !== undefined &&
    (route.name === 'home' || route.name === 'thread' || context.replyTo !== undefined || context.quote !== undefined || context.edit !== undefined)
  const screen = c.screen.value
  const unread = c.unread.value
  return (
    <I18nContext.Provider value={i18n}>
      <AppShell route={route} connection={c.connection.value} unread={unread} unreadMessages={c.unreadMessages.value}>
        {warning}
        {props.secureAddress !== undefined && <InsecureOriginNotice secureAddress={props.secureAddress} compact />}
        {c.notice.value && (
          <p class="notice" role="status">
            {c.notice.value}{' '}
            <button
              type="button"
              class="small"
              onClick={() => {
                c.notice.value = ''
              }}
            >
              {t('common.close')}
            </button>
          </p>
        )}
        <InviteOffer prompt={props.invites} />
        {showCompose && (
          <ComposeBox
            context={
              route.name === 'thread' && !context.replyTo && !context.quote && !context.edit && screen.kind === 'thread' && screen.posts[0]
                ? { replyTo: screen.posts.find((p) => p.id === screen.id) ?? screen.posts[0] }
                : context
            }
            maxGraphemes={props.maxGraphemes}
            countGraphemes={props.countGraphemes}
            onSubmit={c.post}
            onCancelContext={() => {
              c.compose.value = {}
            }}
            suggestPeople={(prefix) => (b ? b.mentionCandidates(prefix) : Promise.resolve([]))}
            requireAlt={b?.settings().photos.requireAlt}
          />
        )}
        <ScreenView screen={screen} now={c.now.value} connection={c.connection.value} settings={b?.settings()} release={c.release.value} on={on} />
      </AppShell>
    </I18nContext.Provider>
  )
}

function focusCompose(): void {
  requestAnimationFrame(() => {
    const box = document.getElementById('compose-text')
    box?.focus()
    box?.scrollIntoView({ block: 'center' })
  })
}
