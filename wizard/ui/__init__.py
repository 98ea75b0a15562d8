"""The wizard's window: Qt widgets only, built on wizard.flow; started by wizard.ui.app.main."""
