// The math of the seed note shared/seeds/hidden-layers-note.md (an Obsidian note on
// backpropagation through hidden layers), copied byte for byte: displays then inline math.
enum SeedNote {
    static let displays: [String] = [
        "\n\\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{ij}}\n",
        "\n\\frac{\\partial p(x)}{\\partial z} = \\sum_m \\frac{\\partial p(z)}{\\partial q_m} \\frac{\\partial q_m}{\\partial z}\n",
        "\n\\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{ij}} = \\sum_{m=1}^{k} \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial a_{i+1,m}} \\frac{\\partial a_{i+1,m}}{\\partial h_{ij}}\n",
        "\n= \\sum_{m=1}^{k} \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial a_{i+1,m}} W_{i+1,m,j}\n",
        "\n\\nabla_{a_i+1} \\mathcal{L}(\\theta) = \\begin{bmatrix} \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial a_{i+1,1}} \\\\ ... \\\\ \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial a_{i+1,k}} \\end{bmatrix}\n",
        "\nW_{i+1, *,j} = \\begin{bmatrix} W_{i+1,1,j} \\\\ ... \\\\ W_{i+1,k,j} \\end{bmatrix}\n",
        "\n(W_{i+1, *,j})^{T} \\nabla_{a_{i+1}} \\mathcal{L}(\\theta) = \\sum_{m=1}^{k} \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial a_{i+1,m}} W_{i+1,m,j}\n",
        "\n\\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{ij}} = (W_{i+1, *,j})^{T} \\nabla_{a_{i+1}} \\mathcal{L}(\\theta)\n",
        "\n\\nabla_{h_i} \\mathcal{L}(\\theta) \n= \\begin{bmatrix} \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{i1}} \\\\ ... \\\\ \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{in}} \\end{bmatrix} \n= \\begin{bmatrix} (W_{i+1, *,1})^{T} \\nabla_{a_{i+1}} \\mathcal{L}(\\theta) \\\\ (W_{i+1, *,n})^{T} \\nabla_{a_{i+1}} \\mathcal{L}(\\theta) \\end{bmatrix}\n",
        "\n\\frac{\\partial \\mathcal{L}(\\theta)}{\\partial a_{ij}} = \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{ij}} \\frac{\\partial h_{ij}}{\\partial a_{ij}}\n",
        "\n= \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{ij}} g'(a_{ij}) \\;\\; [\\because h_{ij} = g(a_{ij})]\n",
        "\n\\nabla_{a_{i}} \\mathcal{L}(\\theta) = \\begin{bmatrix} \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{i1}} g'(a_{i1}) \\\\ ... \\\\ \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{in}} g'(a_{in})\\end{bmatrix}\n",
        "\n\\nabla_{a_{i}} \\mathcal{L}(\\theta) = \\nabla_{h_i} \\mathcal{L}(\\theta)  \\odot [...,g'(a_{ik}),...]\n",
    ]

    static let inline: [String] = [
        "i^{th}",
        "p(z)",
        "q(z)",
        "m",
        "z",
        "q(z)",
        "p(z)",
        "i",
        "m",
        "j",
        "i^{th}",
        "j^{th}",
        "W_{i+1}",
        "n",
        "(i=L)",
        "\\nabla_{a_i} \\mathcal{L}(\\theta)",
        "\\nabla_{a_{i+1}} \\mathcal{L}(\\theta)",
        "a_i",
        "h_i",
        "h_i",
        "a_{i+1}",
    ]
}
