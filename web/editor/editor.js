// The exercise page's editor: CodeMirror 6 with Python highlighting, a few house key bindings.
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";

// Mount an editor in `parent`; `onCheck` runs on Ctrl/Cmd+Enter, `onSave` on Ctrl/Cmd+S, `onChange` on edits.
export function mount(parent, doc, { onCheck, onSave, onChange }) {
  const keys = keymap.of([
    { key: "Mod-Enter", run: () => { onCheck(); return true; } },
    { key: "Mod-s", run: () => { onSave(); return true; }, preventDefault: true },
    indentWithTab,
  ]);
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [keys, basicSetup, python(), EditorView.updateListener.of((u) => { if (u.docChanged) onChange(); })],
    }),
  });
  return {
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}
