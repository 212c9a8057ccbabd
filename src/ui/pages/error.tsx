import { Breadcrumbs } from "../components";
import { Page, type PageSession } from "../layout";
import { consolePaths } from "../paths";

export function ErrorPage({ title, message, session }: { title: string; message: string; session?: PageSession }) {
  return (
    <Page title={title} session={session}>
      {session ? <Breadcrumbs items={[{ label: "Organizations", href: consolePaths.home }, { label: title }]} /> : null}
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={consolePaths.home}>Back to the organizations</a>
      </p>
    </Page>
  );
}
