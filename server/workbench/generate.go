package workbench

//go:generate go run ./build
