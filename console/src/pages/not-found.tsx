import { useMessages } from '../i18n';
import { Link } from '../router';

export function NotFoundPage() {
  const m = useMessages();
  return (
    <section class="card">
      <h1>{m.notFound.title}</h1>
      <p>
        <Link href="/">{m.notFound.home}</Link>
      </p>
    </section>
  );
}
