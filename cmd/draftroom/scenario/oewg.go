package scenario

func oewg(r *run) {}
