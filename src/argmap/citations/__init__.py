"""Citations in running text: finding them in manuscripts and matching them to entries."""
