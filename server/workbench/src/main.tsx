// The workbench's entry: the page's layout. Views live in their own modules; they share
// state through state.ts and reach the server only through api.ts.
import { render } from "preact";
import { signInReason, viewer } from "./auth";
import { Canvas } from "./canvas";
import { EvidencePanel } from "./evidence";
import { followChanges } from "./live";
import { MomentPicker } from "./moment";
import { SearchBox } from "./search";
import { SelectionPanel } from "./selection";
import { followView } from "./share";
import { Account, SignIn, startSession } from "./signin";
import { notice } from "./state";
import "./styles.css";
import { OpenView, ViewSwitcher } from "./views";

function App() {
  const signedIn = viewer.value != null && signInReason.value == null;
  return (
    <>
      <header class="top">
        <h1>eventgraph</h1>
        {signedIn && <SearchBox />}
        {signedIn && <MomentPicker />}
        {signedIn && <ViewSwitcher />}
        <Account />
        <nav aria-label="Elsewhere">
          <a href="/graphiql">GraphiQL</a>
          <a href="/licenses.txt">Licences</a>
        </nav>
      </header>
      {/* The canvas stays mounted while signed out (sigma cannot draw into a detached
          container); the sign-in form covers it and the work area is inert. */}
      <main class="work" inert={!signedIn} aria-hidden={!signedIn}>
        <div class="beside">
          <Canvas />
          {signedIn && <OpenView />}
        </div>
        <SelectionPanel />
        <EvidencePanel />
      </main>
      {signInReason.value != null && <SignIn />}
      <p class="notice" role="status" aria-live="polite">
        {notice.value}
      </p>
    </>
  );
}

followChanges();
followView();
void startSession();
render(<App />, document.getElementById("app")!);
