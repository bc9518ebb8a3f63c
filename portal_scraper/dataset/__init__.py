"""Archives made into data: the latest version of each article, exported to files people load."""
