"""The model in the learner's hands: logistic regression, or a network with hidden layers (the course's weeks 3-4).

Shown from the state's RunSettings and changed only through ``state.change_settings``: a change starts a new
run, which Ctrl+Z undoes as any other. The models come from the registry (core/models/registry.py), the
activations, the named scales, the ranges and the messages from the constraint table (model/constraints.py).
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit

from visualizer.app.common.fitting import WrappedLabel
from visualizer.app.panels.typed_settings import TypedSettings
from visualizer.core.models.registry import MODELS
from visualizer.model.constraints import MODEL_SETTINGS, RUN

#: The hidden layers a network starts with when chosen: the course's week 3 (its planar data's 4 tanh units).
FIRST_HIDDEN = (4,)
#: Scales offered in the list (any positive number may be typed).
SCALES = (f"{RUN['init_scale'].default:g}", *RUN["init_scale"].words)
TIPS = {
    "model": "Logistic regression is one sigmoid neuron: J is convex, so every start reaches the same minimum. "
             "A neural network adds hidden layers: J is no longer a bowl, and the start matters.",
    "hidden": f"{RUN['hidden'].help[0].upper()}{RUN['hidden'].help[1:]}. Sizes separated by commas: 4, or 20,7,5. "
              f"{RUN['hidden'].rule()[0].upper()}{RUN['hidden'].rule()[1:]}. Type them, then press Enter.",
    "activation": f"{RUN['activation'].help[0].upper()}{RUN['activation'].help[1:]}: "
                  f"{', '.join(RUN['activation'].choices)}. A linear one makes the network logistic regression "
                  "again, whatever its layers.",
    "init_scale": "The random start's scale: W_l = scale·randn (0.01 is the course's shallow models'); lecun divides "
                  "randn by √n_(l−1) (the course's deep model), he multiplies it by √(2/n_(l−1)). Biases start at 0. "
                  "Type a number, then press Enter.",
}


def hidden_text(hidden: tuple[int, ...]) -> str:
    return ",".join(str(n) for n in hidden)


class ModelControls(TypedSettings, QGroupBox):
    """A form of the model settings; ``rows[key]`` is (label, field) for each setting it shows."""

    def __init__(self, state):
        super().__init__("Model")
        self.state = state
        self.model = QComboBox()
        for spec in MODELS.values():
            self.model.addItem(spec.label, spec.name)
        self.hidden = QLineEdit()
        self.activation = QComboBox()
        for name in RUN["activation"].choices:
            self.activation.addItem(name, name)
        self.scale = QComboBox()
        self.scale.setEditable(True)
        self.scale.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.scale.addItems(SCALES)
        self.note = WrappedLabel()
        self.note.setAccessibleName("Model note")
        form = self.form = QFormLayout(self)
        self.rows = {}
        for key, text, widget in (("model", "&Model", self.model), ("hidden", "&Hidden layers", self.hidden),
                                  ("activation", "Acti&vation", self.activation),
                                  ("init_scale", "Start scale", self.scale)):  # its letters all taken: no Alt key
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setToolTip(TIPS[key])
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(label, widget)
            self.rows[key] = (label, widget)
        self.scale.lineEdit().setAccessibleName("Start scale, typed")
        self.scale.lineEdit().setToolTip(TIPS["init_scale"])
        form.addRow(self.note)
        self.hidden_keys: set[str] = set()  # keys a lesson hides
        self.show_settings(state.settings)
        self.model.currentIndexChanged.connect(lambda _: self._model_chosen())
        self.hidden.editingFinished.connect(self._hidden_entered)
        self.activation.currentIndexChanged.connect(lambda _: self._send(activation=self.activation.currentData()))
        self.scale.activated.connect(lambda _: self._scale_entered())
        self.scale.lineEdit().editingFinished.connect(self._scale_entered)
        for name in (*MODEL_SETTINGS, "init"):
            state.setting_events[name].connect(lambda *_: self.show_settings(state.settings))

    def setting_widgets(self, key: str) -> list:
        """What a lesson locks or hides for ``key``: the model's choice goes with the hidden layers."""
        label, widget = self.rows[key]
        return [label, widget, *self.rows["model"]] if key == "hidden" else [label, widget]

    def show_settings(self, s) -> None:
        """Show a whole RunSettings without sending any intent back."""
        network = bool(s.hidden)
        for w in (self.model, self.hidden, self.activation, self.scale):
            w.blockSignals(True)
        self.model.setCurrentIndex(self.model.findData("network" if network else "logistic"))
        self.hidden.setText(hidden_text(s.hidden))
        self.activation.setCurrentIndex(self.activation.findData(s.activation))
        self.scale.setCurrentText(str(s.init_scale))
        for w in (self.model, self.hidden, self.activation, self.scale):
            w.blockSignals(False)
        for key in ("hidden", "activation", "init_scale"):
            self.form.setRowVisible(self.rows[key][1], network and key not in self.hidden_keys)
        self.form.setRowVisible(self.model, "hidden" not in self.hidden_keys)
        self._explain(s)

    def set_hidden(self, keys) -> None:
        """Keys a lesson hides (the model's choice goes with "hidden"); the others show as the model says."""
        self.hidden_keys = set(keys)
        self.show_settings(self.state.settings)

    def _explain(self, s) -> None:
        if not s.hidden:
            text = "One neuron: ŷ = σ(wᵀx + b)."
        else:
            sizes = " → ".join(str(n) for n in (self.state.data.train.n_x, *s.hidden, 1))
            start = (f"a random start scaled by {s.init_scale}" if s.init == "random" else
                     "zeros: every hidden unit of a layer gets the same gradient, so they stay the same for ever")
            text = f"Layers {sizes}, {s.activation} then σ; {start}."
        self._noted(text)

    def _model_chosen(self) -> None:
        if self.model.currentData() == "logistic":
            self._send(hidden=())
            return
        # a network from zeros would keep its hidden units alike for ever: it starts random, as the course's do
        self._send(hidden=FIRST_HIDDEN, **({"init": "random"} if self.state.settings.init == "zeros" else {}))

    def _hidden_entered(self) -> None:
        self._enter("hidden", self.hidden.text())

    def _scale_entered(self) -> None:
        self._enter("init_scale", self.scale.currentText())
