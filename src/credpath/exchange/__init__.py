"""What credpath reads from other tools: CTDL, ESCO, Curricular Analytics."""
