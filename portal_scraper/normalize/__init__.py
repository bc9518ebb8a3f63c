"""Text, date, URL and body-HTML helpers the profiles and the record builder share."""
