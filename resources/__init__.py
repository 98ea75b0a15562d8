"""Files the program reads at run time; installed as the package wizard.resources."""
