// Shown where the page is not a secure context (plain http on a public address): what the
// browser withholds there, what that means for the person, and where to go instead. Everything
// else works (keys, signatures and export files are @noble's; see src/app/README.md).
import { useI18n } from './i18n-context.ts'

export function InsecureOriginNotice(props: { secureAddress: string; compact?: boolean }) {
  const { t } = useI18n()
  const details = (
    <>
      <ul>
        <li>{t('insecure.noOffline')}</li>
        <li>{t('insecure.eviction')}</li>
        <li>{t('insecure.noWebCrypto')}</li>
      </ul>
      <p>{t('insecure.stillWorks')}</p>
      <p>
        {t('insecure.whatToDo')}{' '}
        <a href={props.secureAddress} rel="noopener noreferrer">
          {props.secureAddress}
        </a>
      </p>
    </>
  )
  return (
    <section class="insecure-origin warning" role="note" aria-labelledby="insecure-title" data-testid="insecure-origin">
      {props.compact ? (
        <details>
          <summary id="insecure-title">{t('insecure.title')}</summary>
          {details}
        </details>
      ) : (
        <>
          <h2 id="insecure-title">{t('insecure.title')}</h2>
          {details}
        </>
      )}
    </section>
  )
}
